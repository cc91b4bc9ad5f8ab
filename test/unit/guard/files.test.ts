// Deleting and writing files: outside the repo, the repo itself, .git, locked files, temp roots, build dirs.
import { describe, it } from 'vitest';
import { assertAllowed, assertAsk, assertDenied, constraints, context } from './helpers.js';

describe('rm and friends: outside the repo is denied', () => {
  it.each([
    ['rm -rf ~', 'rm-outside-repo'],
    ['rm -rf ~/', 'rm-outside-repo'],
    ['rm -rf ~/projects', 'rm-outside-repo'],
    ['rm -rf $HOME', 'rm-outside-repo'],
    ['rm -rf "$HOME"', 'rm-outside-repo'],
    ['rm -rf ${HOME}/Documents', 'rm-outside-repo'],
    ['rm -rf /', 'rm-outside-repo'],
    ['rm -rf /*', 'rm-outside-repo'],
    ['rm -rf --no-preserve-root /', 'rm-outside-repo'],
    ['rm -fr /etc', 'rm-outside-repo'],
    ['rm -r -f /usr/local', 'rm-outside-repo'],
    ['rm --recursive --force /var/lib', 'rm-outside-repo'],
    ['rm /etc/hosts -rf', 'rm-outside-repo'],
    ['rm -rf ..', 'rm-outside-repo'],
    ['rm -rf ../', 'rm-outside-repo'],
    ['rm -rf ../other-repo', 'rm-outside-repo'],
    ['rm -rf ../../', 'rm-outside-repo'],
    ['rm -rf /home/dev/proj-old', 'rm-outside-repo'],
    ['rm -rf src/../../', 'rm-outside-repo'],
    ['cd .. && rm -rf proj-backup', 'rm-outside-repo'],
    ['cd / && rm -rf home', 'rm-outside-repo'],
    ['cd ~ && rm -rf *', 'rm-outside-repo'],
    ['rm ~/.bashrc', 'rm-outside-repo'],
    ['rm -f /etc/passwd', 'rm-outside-repo'],
    ['unlink ~/.ssh/id_rsa', 'rm-outside-repo'],
    ['rmdir /home/dev/old', 'rm-outside-repo'],
    ['shred -u ~/.ssh/id_rsa', 'rm-outside-repo'],
    ['\\rm -rf ~', 'rm-outside-repo'],
    ['/bin/rm -rf ~', 'rm-outside-repo'],
    ['command rm -rf ~', 'rm-outside-repo'],
    ['sudo rm -rf /', 'rm-outside-repo'],
    ['env rm -rf ~', 'rm-outside-repo'],
    ['FOO=1 rm -rf ~', 'rm-outside-repo'],
    ['nice -n 10 rm -rf ~', 'rm-outside-repo'],
    ['timeout 5 rm -rf ~', 'rm-outside-repo'],
    ['nohup rm -rf ~ &', 'rm-outside-repo'],
    ['time rm -rf ~', 'rm-outside-repo'],
    ['exec rm -rf ~', 'rm-outside-repo'],
    ['busybox rm -rf ~', 'rm-outside-repo'],
    ['xargs rm -rf ~ < /dev/null', 'rm-outside-repo'],
    ['rm -rf ~/{a,b}', 'rm-outside-repo'],
    ['D=~; rm -rf $D', 'rm-outside-repo'],
    ['export D=/; rm -rf "$D"', 'rm-outside-repo'],
    ['rm -rf $(pwd)/..', 'rm-outside-repo'],
    ['rm -rf "$PWD/.."', 'rm-outside-repo'],
    ['rm -rf ~dev', 'rm-outside-repo'],
    ['rm -rf /tmp', 'rm-outside-repo'],
    ['find ~ -name "*.log" -delete', 'rm-outside-repo'],
    ['find / -type f -delete', 'rm-outside-repo'],
    ['find .. -exec rm -rf {} +', 'rm-outside-repo'],
    ['find ~/Downloads -exec rm {} \\;', 'rm-outside-repo'],
    ['mv ~/Documents /tmp/gone', 'rm-outside-repo'],
    ['rsync -a --delete empty/ ~/', 'rm-outside-repo'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));
});

describe('the repo itself and its .git', () => {
  it.each([
    ['rm -rf .', 'rm-repo-root'],
    ['rm -rf ./', 'rm-repo-root'],
    ['rm -rf /home/dev/proj', 'rm-repo-root'],
    ['rm -rf "$(git rev-parse --show-toplevel)"', 'rm-repo-root'],
    ['rm -rf $CLAUDE_PROJECT_DIR', 'rm-repo-root'],
    ['cd src && rm -rf ..', 'rm-repo-root'],
    ['rm -rf .git', 'rm-git-dir'],
    ['rm -rf ./.git/', 'rm-git-dir'],
    ['rm -rf .git/objects', 'rm-git-dir'],
    ['rm .git/HEAD', 'rm-git-dir'],
    ['rm -rf .[!.]*', 'rm-git-dir'],
    ['find . -name ".git" -exec rm -rf {} +', 'rm-git-dir'],
    ['echo x > .git/HEAD', 'write-git-dir'],
    ['cp hook.sh .git/hooks/pre-commit', 'write-git-dir'],
    ['sed -i s/a/b/ .git/config', 'write-git-dir'],
    ['tee .git/info/exclude < list', 'write-git-dir'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));

  it.each(['rm -f .git/index.lock', 'rm .git/refs/heads/main.lock', 'cat .git/HEAD', 'ls .git'])('%s is allowed', (command) => assertAllowed(command));
});

describe('writes outside the repo', () => {
  it.each([
    ['echo "alias ls=rm" >> ~/.bashrc', 'write-outside-repo'],
    ['echo x > /etc/hosts', 'write-outside-repo'],
    ['cat key.pub >> ~/.ssh/authorized_keys', 'write-outside-repo'],
    ['cp script.sh /usr/local/bin/tool', 'write-outside-repo'],
    ['cp -r dist ../deploy', 'write-outside-repo'],
    ['mv build ~/backup', 'write-outside-repo'],
    ['ln -sf /bin/true ~/.local/bin/npm', 'write-outside-repo'],
    ['touch /etc/cron.d/job', 'write-outside-repo'],
    ['truncate -s 0 /var/log/syslog', 'write-outside-repo'],
    ['tee -a ~/.profile <<< "export X=1"', 'write-outside-repo'],
    ['sed -i "s/x/y/" ~/.gitconfig', 'write-outside-repo'],
    ['curl -o ~/.local/bin/tool https://example.com/tool', 'write-outside-repo'],
    ['wget -O /usr/bin/thing https://example.com/thing', 'write-outside-repo'],
    ['tar -xzf release.tgz -C ~/', 'write-outside-repo'],
    ['unzip pkg.zip -d /opt', 'write-outside-repo'],
    ['dd if=/dev/zero of=~/file bs=1M count=1', 'write-outside-repo'],
    ['echo c > /proc/sysrq-trigger', 'system-shutdown'],
    ['git clone https://github.com/x/y ../y', 'write-outside-repo'],
    ['install -m 755 bin/tool /usr/local/bin/', 'write-outside-repo'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));
});

describe('judgment calls ask', () => {
  it.each([
    ['rm -rf src', 'rm-repo-top-level'],
    ['rm -rf ./lib/', 'rm-repo-top-level'],
    ['rm -rf docs test', 'rm-repo-top-level'],
    ['rm -rf *', 'rm-repo-top-level'],
    ['rm -rf ./*', 'rm-repo-top-level'],
    ['rm -rf ~/.cache/pip', 'rm-home-cache'],
    ['rm -rf ~/.npm/_cacache', 'rm-home-cache'],
    ['rm -rf ~/.cargo/registry', 'rm-home-cache'],
    ['rm -rf "$HOME/.gradle/caches"', 'rm-home-cache'],
    ['rm -rf $BUILD_DIR', 'rm-unknown-target'],
    ['rm -rf "$TARGET"/', 'rm-unknown-target'],
    ['cat list.txt | xargs rm -rf', 'rm-unknown-target'],
    ['cp .env.example .env', 'write-env-file'],
    ['cp .env.sample .env.local', 'write-env-file'],
    ['sed -i "s/1.0.0/1.0.1/" package-lock.json', 'locked-file'],
    ['echo "" >> yarn.lock', 'locked-file'],
    ['rm package-lock.json', 'locked-file'],
    ['cp settings.json .claude/settings.json', 'locked-file'],
  ])('%s → %s', (command, rule) => assertAsk(command, rule));
});

describe('locked files written by the shell', () => {
  it.each([
    ['echo SECRET=1 > .env', 'write-env-file'],
    ['echo X=1 >> .env.production', 'write-env-file'],
    ['printf "KEY=v" | tee .env', 'write-env-file'],
    ['sed -i s/a/b/ config/.env', 'write-env-file'],
    ['rm .env', 'write-env-file'],
    ['mv .env.local .env', 'write-env-file'],
    ['cp /tmp/stolen .env', 'write-env-file'],
    ['cp /tmp/.env .', 'write-env-file'],
    ['mv ../other/.env ./', 'write-env-file'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));

  it('copying into `.`, `..` or the project root writes the file of that name there', () => {
    assertAsk('cp ../backup/package-lock.json .', 'locked-file');
    assertAsk('cd src && cp ../../backup/package-lock.json ..', 'locked-file');
    assertAllowed('cp ../backup/README.md .');
    assertAllowed('cp package-lock.json /tmp/');
  });

  it('a custom block lock denies shell writes to it', () => {
    const c = constraints({ locked: [{ path: 'migrations/**', level: 'block', reason: 'applied in production' }] });
    assertDenied('echo x > migrations/001.sql', 'locked-file', { constraints: c });
    assertAllowed('echo x > src/a.sql', { constraints: c });
  });

  it('.env stays protected when the locked list leaves it out, and an except entry frees it', () => {
    assertDenied('echo X=1 > .env', 'write-env-file', { constraints: constraints({ locked: [] }) });
    assertAllowed('echo X=1 > .env', { constraints: constraints({ locked: [{ path: 'x', level: 'block', reason: 'x', except: ['.env'] }] }) });
    assertAllowed('echo X=1 > .env', { constraints: constraints({ locked: [{ path: '.env', level: 'warn', reason: 'reported' }] }) });
  });
});

describe('ordinary file work is allowed', () => {
  it.each([
    'rm -rf node_modules',
    'rm -rf node_modules dist build .next target',
    'rm -rf ./dist/ coverage .turbo',
    'rm -rf packages/web/node_modules',
    'rm -rf src/legacy',
    'rm src/old.ts',
    'rm -f README.old.md',
    'rm -r tests/fixtures/tmp',
    'rm *.log',
    'rm -rf build/*',
    'rm -rf /tmp/build-cache',
    'rm -rf /tmp/fanout-test-*',
    'rm -rf "$TMPDIR/x"',
    'rm -rf /var/tmp/scratch',
    'cd /tmp && rm -rf work',
    'd=$(mktemp -d) && rm -rf "$d"',
    'rm -rf $(mktemp -d)',
    'find . -name "*.pyc" -delete',
    'find . -type d -name __pycache__ -exec rm -rf {} +',
    'find dist -name "*.map" -delete',
    'find /tmp -name "fanout-*" -mtime +1 -delete',
    'find . -name "*.orig" | xargs rm -f',
    'git ls-files --deleted | xargs rm -f',
    'mv src/a.ts src/b.ts',
    'cp -r templates/ out/',
    'cp .env.example docs/env-example.txt',
    'echo done > /tmp/marker',
    'echo hi > /dev/null',
    'npm test 2>&1 | tee /tmp/test.log',
    'ls > files.txt',
    'cat a b > c',
    'mkdir -p src/components && touch src/components/index.ts',
    'ln -s ../shared src/shared',
    'tar -czf /tmp/backup.tgz src',
    'tar -xzf vendor.tgz -C vendor',
    'unzip -l archive.zip',
    'curl -sSL -o /tmp/install.sh https://example.com/install.sh',
    'wget -O data.json https://example.com/data.json',
    'rsync -a src/ /tmp/src-copy/',
    'sed -i "s/foo/bar/g" src/index.ts',
    'dd if=/dev/zero of=/tmp/disk.img bs=1M count=10',
    'chmod +x scripts/build.sh',
    'chmod -R u+w dist',
    'chown -R $(whoami) node_modules',
    'truncate -s 0 logs/app.log',
    'shred -u secrets.tmp',
    'rm -rf node_modules && npm ci',
    'git clean -n',
  ])('%s', (command) => assertAllowed(command));

  it('uses the boundary from the constraints file', () => {
    const c = constraints({ boundary: 'packages/web' });
    assertDenied('rm -rf packages/api', 'rm-outside-repo', { constraints: c });
    assertAllowed('rm -rf packages/web/src/old', { constraints: c });
  });

  it('a repo outside home: ~ is outside, not an ancestor', () => {
    const ctx = context({ cwd: '/work/repo', projectDir: '/work/repo', repoRoot: '/work/repo', gitDir: '/work/repo/.git', home: '/root' });
    const c = { ...constraints(), boundary: '/work/repo' };
    assertDenied('rm -rf ~', 'rm-outside-repo', { context: ctx, constraints: c });
    assertDenied('rm -rf /work', 'rm-outside-repo', { context: ctx, constraints: c });
    assertAllowed('rm -rf /work/repo/dist', { context: ctx, constraints: c });
  });
});

describe('permissions', () => {
  it.each([
    ['chmod -R 777 /', 'chmod-outside-repo'],
    ['chmod 000 ~', 'chmod-outside-repo'],
    ['chmod -R 755 ~/.ssh', 'chmod-outside-repo'],
    ['chown -R nobody /etc', 'chown-outside-repo'],
    ['sudo chown root:root /usr/local/bin/*', 'chown-outside-repo'],
    ['chgrp -R staff ..', 'chown-outside-repo'],
    ['chmod 644 /etc/sudoers', 'chmod-outside-repo'],
    ['setfacl -R -m u:nobody:rwx /', 'chmod-outside-repo'],
    ['setfacl -b -R ~', 'chmod-outside-repo'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));
  it.each(['setfacl -m u:www-data:rx public', 'getfacl /etc'])('%s is allowed', (command) => assertAllowed(command));
});

describe('find without a name filter reaches .git', () => {
  it.each([
    ["find . -type f -exec sed -i 's/foo/bar/g' {} +", 'write-git-dir'],
    ["find . -exec sed -i 's/foo/bar/g' {} \\;", 'write-git-dir'],
    ['find . -type f -delete', 'rm-git-dir'],
    ['find . -mtime +0 -delete', 'rm-git-dir'],
    ['find . -size +1M -delete', 'rm-git-dir'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));
  it.each([
    "find . -type f -name '*.ts' -exec sed -i 's/foo/bar/g' {} +",
    "find . -type f -not -path './.git/*' -exec sed -i 's/foo/bar/g' {} +",
    "find src -type f -exec sed -i 's/foo/bar/g' {} +",
    "find . -name '*.sh' -exec chmod +x {} +",
    'find . -type d -empty -delete', "find . -type f -name '*.log' -delete", 'find build -type f -delete', "find . -mtime +7 -name '*.tmp' -delete", 'find /tmp -type f -mtime +1 -delete'])(
    '%s is allowed',
    (command) => assertAllowed(command),
  );
});

describe('paths printed by substitutions', () => {
  it.each([
    ['rm -rf "$(git rev-parse --git-dir)"', 'rm-git-dir'],
    ['rm -rf "$(cd .. && pwd)"', 'rm-outside-repo'],
    ['rm -rf "$(cd ~ && pwd)"', 'rm-outside-repo'],
    ['rm -rf $(realpath ..)', 'rm-outside-repo'],
    ['rm -rf "$(readlink -f ../proj-old)"', 'rm-outside-repo'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));
  it.each(['rm -rf "$(realpath dist)"', 'ls "$(git rev-parse --git-dir)"', 'echo "$(realpath .)"'])('%s is allowed', (command) => assertAllowed(command));
});

describe('a directory made by mktemp is scratch space', () => {
  it.each([
    'cd "$(mktemp -d)" && git init && touch a && rm -rf *',
    'tmp=$(mktemp -d) && cd "$tmp" && rm -rf *',
    'cd $(mktemp -d) && git clone https://github.com/x/y . && rm -rf .git',
    'd=$(mktemp -d); cd $d; rm -rf .git *',
    'cd "$(mktemp -d)" && git init && git commit --allow-empty -m x && git reset --hard',
    'rm -rf /tmp/clone/.git',
  ])('%s is allowed', (command) => assertAllowed(command));
  it.each([
    ['cd "$(mktemp -d)" && rm -rf ../..', 'rm-outside-repo'],
    ['cd "$(mktemp -d)" && rm -rf ..', 'rm-outside-repo'],
    ['rm -rf ~/other/.git', 'rm-git-dir'],
  ])('%s → %s', (command, rule) => assertDenied(command, rule));
});

describe('a home dir under a temp root (CI, sandboxes) is still home', () => {
  const ctx = context({ cwd: '/tmp/ci/repo', projectDir: '/tmp/ci/repo', repoRoot: '/tmp/ci/repo', gitDir: '/tmp/ci/repo/.git', home: '/tmp/ci-home' });
  const c = { ...constraints(), boundary: '/tmp/ci/repo' };
  it.each(['rm -rf ~/precious', 'rm -rf ~', 'rm -rf /tmp/ci-home/.ssh'])('%s → rm-outside-repo', (command) => assertDenied(command, 'rm-outside-repo', { context: ctx, constraints: c }));
  it.each(['rm -rf /tmp/other', 'rm -rf dist', 'echo x > /tmp/log'])('%s is allowed', (command) => assertAllowed(command, { context: ctx, constraints: c }));
});

describe('rimraf and package-manager binaries', () => {
  it.each(['npx rimraf ~', 'yarn rimraf ../', 'npm exec rimraf /', 'pnpm exec rimraf ~/work', 'npx del-cli ~'])('%s → rm-outside-repo', (command) => assertDenied(command, 'rm-outside-repo'));
  it.each(['npx rimraf dist', 'pnpm rimraf node_modules coverage', 'yarn rimraf build'])('%s is allowed', (command) => assertAllowed(command));
  it('yarn prisma migrate reset drops the database', () => assertAsk('yarn prisma migrate reset', 'database-drop'));
});
