// The rewrite generator itself: each rewrite must keep what runs. Pinned examples per family, every variant parses,
// and a run check: harmless probe commands and their variants run with the real tools (bash, rm, chmod, git,
// xargs, find, python3, node, perl) in fresh copies of a scratch repo, and must leave the same files, git state and
// output behind.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'unbash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, REWRITES, type Machine, type Rewrite } from '../../rewrites/rewrite-catalogue.js';

const machine: Machine = { home: '/home/dev', repo: '/home/dev/proj', user: 'dev' };
const byId = (id: string): Rewrite => {
  const r = REWRITES.find((x) => x.id === id);
  if (!r) throw new Error(`no rewrite ${id}`);
  return r;
};

describe('the catalogue', () => {
  it('has unique ids and rewrites in every family', () => {
    const ids = REWRITES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const family of FAMILIES) expect(REWRITES.filter((r) => r.family === family).length, family).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['wrap-env', 'rm -rf dist && cd .. && git status', 'env rm -rf dist && cd .. && env git status'],
    ['wrap-time', 'a | rm -rf x', 'time a | rm -rf x'],
    ['nest-bash-c', "echo 'a b'", `bash -c 'echo '\\''a b'\\'''`],
    ['nest-heredoc-bash', 'rm -rf dist', "bash <<'RW_EOF'\nrm -rf dist\nRW_EOF"],
    ['nest-function', 'rm -rf dist', 'run_task() {\nrm -rf dist\n}; run_task'],
    ['quote-name-split', 'rm -rf ~', "r''m -rf ~"],
    ['quote-args-single', 'rm -rf ~ dist', "rm '-rf' ~ 'dist'"],
    ['flags-split', 'rm -rf ~', 'rm -r -f ~'],
    ['flags-split', 'git clean -fdx', 'git clean -f -d -x'],
    ['flags-long', 'rm -rf ~', 'rm --recursive --force ~'],
    ['flags-long', 'git branch -D feature', 'git branch --delete --force feature'],
    ['flags-long', 'git clean -fdx', 'git clean --force -dx'],
    ['flags-abbreviate', 'git reset --hard', 'git reset --ha'],
    ['flags-after-operands', 'git push --force origin main', 'git push origin main --force'],
    ['flags-dashdash', 'rm -rf ~', 'rm -rf -- ~'],
    ['flags-signal', 'kill -9 -1', 'kill -s KILL -1'],
    ['path-home-var', 'rm -rf ~/.ssh', 'rm -rf $HOME/.ssh'],
    ['path-relative', 'rm -rf /home/dev', 'rm -rf ../../dev'],
    ['path-absolute', 'rm -rf ../other', 'rm -rf /home/dev/other'],
    ['path-trailing-slash', 'rm -rf ~', 'rm -rf ~/'],
    ['exp-ifs', 'rm -rf dist', 'rm${IFS}-rf${IFS}dist'],
    ['exp-brace', 'rm -rf ~', '{rm,-rf,~}'],
    ['exp-substring', 'rm -rf ~', '_rw0=xrmyz; ${_rw0:1:2} -rf ~'],
    ['exp-array', 'rm -rf ~', '{ _rwa0=(rm -rf ~); "${_rwa0[@]}"; }'],
    ['exp-read-herestring', 'rm -rf ~', 'read -r _rw0 <<< rm; "$_rw0" -rf ~'],
    ['list-xargs-0', 'rm -rf a ~', "printf '%s\\0' a ~ | xargs -0 rm -rf"],
    ['list-while-read', 'rm -rf a', `printf '%s\\n' a | while IFS= read -r _rwf; do rm -rf "$_rwf"; done`],
    ['list-find-exec', 'rm -rf ~', 'find ~ -maxdepth 0 -exec rm -rf {} +'],
    ['list-git-ls-files', 'git clean -fd', 'git ls-files -z --others --exclude-standard --directory | xargs -0 rm -rf'],
    ['interp-python-bash', 'rm -rf ~', `python3 -c 'import subprocess, sys; sys.exit(subprocess.run(["bash", "-c", "rm -rf ~"]).returncode)'`],
    ['git-c-alias', 'git reset --hard', 'git -c alias.rwx=reset rwx --hard'],
    ['git-config-alias', 'git reset --hard', '{ git config alias.rwx reset && git rwx --hard; }'],
  ])('%s: %s', (id, input, output) => {
    expect(byId(id).apply(input, machine)).toBe(output);
  });

  it.each([
    ['wrap-env', 'cd .. && export X=1'],
    ['quote-name-single', "alias ll='ls -l'; ll"],
    ['nest-sh-c', 'cat <<< x'],
    ['nest-heredoc-bash', 'read x; rm -rf "$x"'],
    ['path-relative', 'cd /tmp && rm -rf /home/dev/x'],
    ['path-dot-slash', 'rm -rf ..'],
    ['flags-split', 'sed -i.bak s/a/b/ f'],
    ['flags-after-operands', 'find . -name x -delete'],
    ['list-xargs', 'rm -rf "$DIR"'],
  ])('%s leaves %s alone (it could change what runs)', (id, input) => {
    expect(byId(id).apply(input, machine)).toBeUndefined();
  });
});

/** Harmless probes: every path they touch is inside the scratch repo or its $HOME (@REPO@ is the repo's absolute path). */
const PROBES = [
  'rm -rf build dist',
  'rm -r -f ./build $HOME/cache',
  'rm -f notes.txt',
  'rm -r src/old',
  'rm -rf ~/cache',
  'rm -rf "$HOME/cache" build',
  'rm -rf @REPO@/build @REPO@/src/old',
  'chmod -R 700 scripts',
  'chmod 600 notes.txt',
  'git clean -fd',
  'git clean -fdx',
  'git reset --hard',
  'git branch -D feature',
  'git branch -f feature HEAD~1',
  'git rm -f tracked.txt',
  'git checkout -- tracked.txt',
  'git push --force origin main',
  'git log --oneline -1',
  'git commit -q -a --message msg',
  'git clone -q --branch=main ../remote.git cl',
  'sleep 5 & kill -9 $!; wait $!; echo $?',
  'find build -name "*.o" -delete',
  'find . -type f -name "*.log" -delete',
  'cd src && rm -rf old',
  'echo hi > out.txt && cat out.txt',
  'ls build | sort',
];

// The rewrites' own scratch files (/tmp/rw-*, kept in the copy's tmp/) are not part of the command's effect.
const SKIP = /^tmp\/|(?:^|\/)(?:\.git|remote\.git)\/(?:objects|logs|config|index|ORIG_HEAD|hooks|COMMIT_EDITMSG|FETCH_HEAD|description|info)(?:\/|$)/;

/** Files (path, type, mode), and for git probes git's status, branches, stash and the remote: what a command changed. */
function snapshot(dir: string, git: boolean): string {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (SKIP.test(path)) continue;
      const st = lstatSync(join(dir, path));
      out.push(`${path} ${st.isDirectory() ? 'd' : st.isSymbolicLink() ? `l→${readlinkSync(join(dir, path))}` : `f${st.size}`} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) walk(path);
    }
  };
  walk('');
  if (!git) return out.join('\n');
  const state = spawnSync('bash', ['-c', 'git status --porcelain --ignored; git branch -v --no-abbrev; git stash list; git -C ../remote.git show-ref'], { cwd: join(dir, 'proj'), encoding: 'utf8' }).stdout;
  return [...out, state].join('\n');
}

const PATH = '/usr/local/bin:/usr/bin:/bin';
const available = (tool: string): boolean => spawnSync('bash', ['-c', `command -v ${tool}`], { env: { PATH } }).status === 0;

describe('rewrites keep what runs (probes run with the real tools in a scratch repo)', () => {
  let base: string;
  let template: string;
  let run: string;
  let runs = 0;
  const skipped = new Set<string>();
  const baseline = new Map<string, string>();
  const identity = { GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'fanout-rewrite-check-'));
    template = join(base, 'template');
    run = join(base, 'run');
    const repo = join(template, 'proj');
    mkdirSync(join(repo, 'src/old'), { recursive: true });
    mkdirSync(join(repo, 'build'), { recursive: true });
    mkdirSync(join(repo, 'scripts'), { recursive: true });
    mkdirSync(join(template, 'home/cache'), { recursive: true });
    const env = { ...process.env, HOME: join(template, 'home'), ...identity };
    const git = (...args: string[]): void => void execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(template, 'remote.git')], { env, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'tracked.txt'), 'one\n');
    writeFileSync(join(repo, '.gitignore'), 'build/\n*.log\n');
    writeFileSync(join(repo, 'scripts/run.sh'), 'echo run\n');
    git('add', '.');
    git('commit', '-q', '-m', 'one');
    writeFileSync(join(repo, 'tracked.txt'), 'two\n');
    git('commit', '-q', '-am', 'two');
    git('branch', 'feature');
    git('remote', 'add', 'origin', '../remote.git');
    writeFileSync(join(repo, 'tracked.txt'), 'uncommitted\n');
    writeFileSync(join(repo, 'notes.txt'), 'untracked\n');
    writeFileSync(join(repo, 'src/old/a.js'), 'x\n');
    writeFileSync(join(repo, 'build/a.o'), 'o\n');
    writeFileSync(join(repo, 'build/b.o'), 'o\n');
    writeFileSync(join(repo, 'debug.log'), 'log\n');
    writeFileSync(join(template, 'home/cache/c'), 'c\n');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** Runs a command in a fresh copy of the scratch repo (always at the same path), its temp files kept inside it. */
  function effect(command: string, probe: string): string {
    runs++;
    rmSync(run, { recursive: true, force: true });
    cpSync(template, run, { recursive: true, verbatimSymlinks: true });
    mkdirSync(join(run, 'tmp'));
    const env = { PATH, HOME: join(run, 'home'), LC_ALL: 'C', ...identity };
    const result = spawnSync('bash', ['-c', command.replaceAll('/tmp/rw-', `${run}/tmp/rw-`)], { cwd: join(run, 'proj'), env, encoding: 'utf8', timeout: 20_000, input: '' });
    return `${result.stdout ?? ''}\n${snapshot(run, /\bgit\b/.test(probe))}`;
  }

  const needs: Record<string, string> = { 'interp-python': 'python3', 'interp-node': 'node', 'interp-perl': 'perl', 'interp-ruby': 'ruby', 'interp-php': 'php', 'list-parallel': 'parallel' };
  // `~user` names a real home directory outside the scratch repo; a rewrite that adds danger is not the same command.
  const checked = REWRITES.filter((r) => r.id !== 'path-home-user' && !r.addsDanger);

  it.each(checked.map((r) => [r.id, r] as const))('%s', (id, rewrite) => {
    const tool = Object.entries(needs).find(([prefix]) => id.startsWith(prefix))?.[1];
    if (tool && !available(tool)) {
      skipped.add(`${id} (no ${tool})`);
      return;
    }
    const scratch: Machine = { home: join(run, 'home'), repo: join(run, 'proj'), user: 'dev' };
    let applied = 0;
    // Two probes per rewrite keep the run short; the pinned examples above cover more shapes.
    for (const template of PROBES) {
      if (applied >= 2) break;
      const probe = template.replaceAll('@REPO@', scratch.repo);
      const variant = rewrite.apply(probe, scratch);
      if (variant === undefined) continue;
      expect(parse(variant).errors ?? [], variant).toEqual([]);
      applied++;
      if (!baseline.has(probe)) baseline.set(probe, effect(probe, probe));
      expect(effect(variant, probe), `${id}: ${variant}`).toBe(baseline.get(probe));
    }
    if (applied === 0) skipped.add(`${id} (no probe applies)`);
  });

  it('ran the probes and says what it could not check', () => {
    if (skipped.size > 0) console.log(`rewrite run check skipped: ${[...skipped].join(', ')}`);
    expect(runs).toBeGreaterThan(100);
  });
});
