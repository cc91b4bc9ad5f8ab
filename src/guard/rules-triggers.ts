// Stop triggers: operations a human must approve (ask), matched on the analysed invocation, never on raw text.
// Built-in ids have matchers here; custom triggers give `command: 'words * words'` (or `write:` globs, judged with targets).
import type { Invocation, RuleContext, RuleModule } from './rule-context.js';
import { hasLong, hasShort, operands } from './flags.js';
import { portMessage } from './judge-ports.js';
import type { Arg } from './resolve-word.js';
import { parseGit } from './parse-git.js';

type Matcher = (inv: Invocation) => string | undefined;

const words = (inv: Invocation): string[] => inv.args.slice(1).map((a) => a.value);
/** The first word that is not a flag, and everything after it. */
function subcommand(args: Arg[], valued: string[] = []): { sub: string | undefined; rest: Arg[] } {
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (v.startsWith('-')) {
      if (valued.includes(v)) i++;
      continue;
    }
    return { sub: v, rest: args.slice(i + 1) };
  }
  return { sub: undefined, rest: [] };
}

const NPM_VALUED = ['--registry', '--prefix', '-w', '--workspace', '--tag', '--omit', '--include', '--cache', '--userconfig', '--save-prefix', '-C', '--dir', '--filter', '-F'];
const PIP_VALUED = ['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '--root', '-f', '--find-links', '--upgrade-strategy', '--python-version', '--platform', '--only-binary', '--no-binary', '--python', '-p', '--src', '--trusted-host', '--cache-dir', '--log', '--proxy', '--timeout', '--retries', '--group', '-g'];

/** Package operands: not flags, not flag values, not local paths (`.`, `./pkg`, wheels). */
function packages(args: Arg[], valued: string[]): string[] {
  return operands(args, valued)
    .map((a) => a.value)
    .filter((v) => v !== '.' && !/^\.{0,2}\//.test(v) && !/\.(?:whl|tar\.gz|zip)$/.test(v) && !v.includes('...'));
}

/** Tools that yarn/pnpm/bun run by name (`yarn prisma migrate dev`). */
const RUNNABLE = new Set(['prisma', 'knex', 'sequelize', 'sequelize-cli', 'typeorm', 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm', 'drizzle-kit', 'mikro-orm', 'vercel', 'netlify', 'wrangler', 'firebase', 'serverless', 'sls', 'cdk', 'changeset', 'lerna', 'semantic-release', 'vsce', 'ovsx']);

/** argv with `yarn prisma …` turned into `prisma …`. */
function program(inv: Invocation): { name: string; args: Arg[] } {
  const second = inv.args[1]?.value;
  if ((inv.name === 'yarn' || inv.name === 'pnpm' || inv.name === 'bun') && second !== undefined && RUNNABLE.has(second)) return { name: second, args: inv.args.slice(1) };
  return { name: inv.name, args: inv.args };
}

const addDependency: Matcher = (inv) => {
  const rest = inv.args.slice(1);
  const { sub, rest: after } = subcommand(rest, NPM_VALUED);
  const pkgs = (valued: string[] = NPM_VALUED): string[] => packages(after, valued);
  const found = (list: string[]): string | undefined => (list.length > 0 ? `${inv.name} ${sub ?? ''} ${list.join(' ')}`.replace(/\s+/g, ' ') : undefined);
  switch (inv.name.replace(/^(pip|gem|bundle)\d+(?:\.\d+)*$/, '$1')) {
    case 'npm':
      return sub && ['install', 'i', 'add', 'in', 'isntall', 'instal'].includes(sub) ? found(pkgs()) : undefined;
    case 'pnpm':
    case 'bun':
      if (sub === 'add' || sub === 'a') return found(pkgs()) ?? `${inv.name} add`;
      return sub === 'install' || sub === 'i' ? found(pkgs()) : undefined;
    case 'yarn':
      if (sub === 'global') return subcommand(after).sub === 'add' ? `yarn global add ${packages(subcommand(after).rest, NPM_VALUED).join(' ')}` : undefined;
      return sub === 'add' ? (found(pkgs()) ?? 'yarn add') : undefined;
    case 'pip':
    case 'pipx':
      return sub === 'install' ? found(pkgs(PIP_VALUED)) : undefined;
    case 'uv':
      if (sub === 'add') return found(pkgs(PIP_VALUED)) ?? 'uv add';
      if (sub === 'pip' || sub === 'tool') {
        const inner = subcommand(after);
        return inner.sub === 'install' ? found(packages(inner.rest, PIP_VALUED)) : undefined;
      }
      return undefined;
    case 'poetry':
    case 'pdm':
    case 'hatch':
    case 'rye':
      return sub === 'add' ? (found(pkgs(PIP_VALUED)) ?? `${inv.name} add`) : undefined;
    case 'pipenv':
      return sub === 'install' ? found(pkgs(PIP_VALUED)) : undefined;
    case 'conda':
    case 'mamba':
    case 'micromamba':
      return sub === 'install' ? found(pkgs(['-n', '--name', '-p', '--prefix', '-c', '--channel', '--file'])) : undefined;
    case 'cargo':
      return sub === 'add' || sub === 'install' ? found(pkgs(['--git', '--branch', '--tag', '--rev', '--path', '-F', '--features', '--package', '-p', '--rename', '--registry', '--version', '--root', '--target'])) : undefined;
    case 'go':
      return sub === 'get' ? found(pkgs(['-C'])) : undefined;
    case 'gem':
      return sub === 'install' ? found(pkgs(['-v', '--version', '-i', '--install-dir', '-s', '--source'])) : undefined;
    case 'bundle':
      return sub === 'add' ? found(pkgs(['-v', '--version', '--group', '--source', '--git', '--branch'])) : undefined;
    case 'composer':
      return sub === 'require' || sub === 'req' ? found(pkgs()) : undefined;
    case 'dotnet':
      return sub === 'add' && words(inv).includes('package') ? `dotnet add package ${words(inv).slice(words(inv).indexOf('package') + 1).join(' ')}` : undefined;
    case 'deno':
      return sub === 'add' || (sub === 'install' && after.length > 0) ? found(pkgs()) : undefined;
    case 'apt':
    case 'apt-get':
    case 'yum':
    case 'dnf':
    case 'zypper':
    case 'brew':
    case 'port':
    case 'snap':
    case 'choco':
    case 'winget':
      return sub === 'install' ? found(pkgs(['-t', '--target-release', '-o', '--option', '-c', '--config-file'])) : undefined;
    case 'apk':
      return sub === 'add' ? found(pkgs(['-X', '--repository', '-t', '--virtual'])) : undefined;
    case 'pacman':
      return rest.some((a) => /^-S[a-z]*$/.test(a.value) && !/[sigl]/.test(a.value.slice(2))) ? `pacman ${words(inv).join(' ')}` : undefined;
    default:
      return undefined;
  }
};

const MIGRATION_TOOLS = new Set(['prisma', 'rails', 'rake', 'alembic', 'manage.py', 'django-admin', 'knex', 'sequelize', 'sequelize-cli', 'typeorm', 'typeorm-ts-node-commonjs', 'typeorm-ts-node-esm', 'drizzle-kit', 'mikro-orm', 'goose', 'migrate', 'dotnet', 'flask', 'artisan', 'sqlx', 'diesel', 'atlas']);
const PUBLISHERS = new Set(['npm', 'pnpm', 'yarn', 'cargo', 'poetry', 'uv', 'flit', 'hatch', 'vsce', 'ovsx', 'lerna', 'changeset', 'twine', 'gem', 'docker', 'podman', 'gh', 'dotnet', 'semantic-release']);
const DEPLOYERS = new Set(['vercel', 'netlify', 'fly', 'flyctl', 'firebase', 'serverless', 'sls', 'cdk', 'cdktf', 'eb', 'sam', 'wrangler', 'gcloud', 'aws', 'terraform', 'tofu', 'terragrunt', 'pulumi', 'kubectl', 'oc', 'helm', 'railway', 'heroku', 'npm', 'yarn', 'pnpm', 'bun', 'git', 'make', 'just', 'task', 'cap', 'mina', 'kamal', 'docker', 'skaffold', 'argocd', 'ansible-playbook']);
/** Options that take a value (as the next word) before a deployer's subcommand: `kubectl --context prod apply`. */
const DEPLOY_VALUED: Record<string, string[]> = {
  kubectl: ['--context', '-n', '--namespace', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token', '--as', '--as-group', '--request-timeout', '-v', '--certificate-authority', '--client-certificate', '--client-key', '--tls-server-name', '--cache-dir', '-f', '--filename', '-l', '--selector', '-o', '--output'],
  helm: ['-n', '--namespace', '--kube-context', '--kubeconfig', '--kube-apiserver', '--kube-token', '--repository-config', '--registry-config', '--repository-cache'],
  aws: ['--profile', '--region', '--output', '--endpoint-url', '--query', '--cli-read-timeout', '--cli-connect-timeout', '--ca-bundle', '--color'],
  gcloud: ['--project', '--account', '--configuration', '--region', '--zone', '--format', '--verbosity', '--impersonate-service-account'],
  terraform: ['-var', '-var-file', '-target'],
  pulumi: ['-s', '--stack', '-C', '--cwd'],
  make: ['-C', '--directory', '-f', '--file', '--makefile', '-j', '--jobs', '-I', '--include-dir', '-o', '-W'],
  just: ['-f', '--justfile', '-d', '--working-directory', '--set'],
  task: ['-d', '--dir', '-t', '--taskfile'],
  docker: ['-H', '--host', '-c', '--context', '--config', '-l', '--log-level'],
  ansible: ['-i', '--inventory', '-l', '--limit', '-e', '--extra-vars', '-u', '--user', '-t', '--tags'],
};
/** Remote names that deploy when pushed to (Heroku, Dokku, a `production` remote …). */
const DEPLOY_REMOTE = /^(?:heroku|dokku|production|prod|deploy|live|staging|piku|flynn)(?:[-_].*)?$/i;
/** Makefile/just/task targets that deploy or release. */
const DEPLOY_TARGET = /^(?:deploy(?:[-:_].*)?|release|publish|rollout|ship|(?:release|publish)[-:_](?:prod|production|live))$/;

const createMigration: Matcher = (inv) => {
  const { name, args } = program(inv);
  // Most commands are none of these: answer before looking at every word.
  if (!MIGRATION_TOOLS.has(name)) return undefined;
  const w = args.slice(1).filter((a) => !a.value.startsWith('-')).map((a) => a.value);
  const line = `${name} ${w.slice(0, 3).join(' ')}`;
  switch (name) {
    case 'prisma':
      return w[0] === 'migrate' && w[1] === 'dev' ? line : undefined;
    case 'rails':
    case 'rake':
      return (w[0] === 'g' || w[0] === 'generate') && ['migration', 'model', 'scaffold', 'resource'].includes(w[1] ?? '') ? line : undefined;
    case 'alembic':
      return w[0] === 'revision' ? line : undefined;
    case 'manage.py':
    case 'django-admin':
      return w[0] === 'makemigrations' ? line : undefined;
    case 'knex':
      return w[0] === 'migrate:make' ? line : undefined;
    case 'sequelize':
    case 'sequelize-cli':
      return /^(?:migration:(?:generate|create)|model:(?:generate|create))$/.test(w[0] ?? '') ? line : undefined;
    case 'typeorm':
    case 'typeorm-ts-node-commonjs':
    case 'typeorm-ts-node-esm':
      return /^migration:(?:generate|create)$/.test(w[0] ?? '') ? line : undefined;
    case 'drizzle-kit':
      return /^generate(?::|$)/.test(w[0] ?? '') ? line : undefined;
    case 'mikro-orm':
      return w[0] === 'migration:create' ? line : undefined;
    case 'goose':
    case 'migrate':
      return w.includes('create') ? line : undefined;
    case 'dotnet':
      return w[0] === 'ef' && w[1] === 'migrations' && w[2] === 'add' ? line : undefined;
    case 'flask':
      return w[0] === 'db' && (w[1] === 'migrate' || w[1] === 'revision') ? line : undefined;
    case 'artisan':
      return w[0] === 'make:migration' ? line : undefined;
    case 'sqlx':
      return w[0] === 'migrate' && w[1] === 'add' ? line : undefined;
    case 'diesel':
      return w[0] === 'migration' && w[1] === 'generate' ? line : undefined;
    case 'atlas':
      return w[0] === 'migrate' && (w[1] === 'diff' || w[1] === 'new') ? line : undefined;
    default:
      return undefined;
  }
};

const PRIVILEGED = new Set(['sudo', 'doas', 'pkexec', 'su', 'runuser']);
const sudo: Matcher = (inv) => {
  const wrapper = inv.wrappers.find((w) => PRIVILEGED.has(w));
  if (wrapper === undefined) return undefined;
  const what = inv.args.map((a) => a.value).join(' ') || (inv.unwrapped.shellString ? `-c '${inv.unwrapped.shellString.value}'` : '(a root shell)');
  return `${wrapper} ${what}`;
};

/** git's argv after its own aliases (`git -c alias.p=push p`): the git rules, which run first, expand them into runs. */
const gitArgv = (inv: Invocation): Arg[] => (inv.runs && inv.runs[0] === inv.args[0] ? inv.runs : inv.args);

const gitPush: Matcher = (inv) => {
  if (inv.name !== 'git') return undefined;
  const git = parseGit(gitArgv(inv), inv.state.cwd);
  if (git.sub !== 'push' || hasShort(git.rest, 'n') || hasLong(git.rest, '--dry-run')) return undefined;
  return `git push ${git.rest.map((a) => a.value).join(' ')}`.trim();
};

const publish: Matcher = (inv) => {
  const { name, args } = program(inv);
  if (!PUBLISHERS.has(name)) return undefined;
  const rest = args.slice(1);
  if (rest.some((a) => a.value === '--dry-run' || a.value === '-n' && name === 'cargo' || a.value === '--help')) return undefined;
  const w = rest.filter((a) => !a.value.startsWith('-')).map((a) => a.value);
  const line = `${name} ${w.slice(0, 2).join(' ')}`.trim();
  switch (name) {
    case 'npm':
    case 'pnpm':
      return w[0] === 'publish' ? line : undefined;
    case 'yarn':
      return w[0] === 'publish' || (w[0] === 'npm' && w[1] === 'publish') ? line : undefined;
    case 'cargo':
    case 'poetry':
    case 'uv':
    case 'flit':
    case 'hatch':
    case 'vsce':
    case 'ovsx':
    case 'lerna':
    case 'changeset':
      return w[0] === 'publish' ? line : undefined;
    case 'twine':
      return w[0] === 'upload' ? line : undefined;
    case 'gem':
      return w[0] === 'push' ? line : undefined;
    case 'docker':
    case 'podman':
      return w[0] === 'push' || (w[0] === 'image' && w[1] === 'push') ? line : undefined;
    case 'gh':
      return w[0] === 'release' && w[1] === 'create' ? line : undefined;
    case 'dotnet':
      return w[0] === 'nuget' && w[1] === 'push' ? line : undefined;
    case 'semantic-release':
      return 'semantic-release';
    default:
      return undefined;
  }
};

const deploy: Matcher = (inv) => {
  const { name, args } = program(inv);
  if (!DEPLOYERS.has(name)) return undefined;
  const rest = args.slice(1);
  if (rest.some((a) => a.value === '--help' || a.value === '--dry-run')) return undefined;
  const w = operands(rest, DEPLOY_VALUED[name === 'ansible-playbook' ? 'ansible' : name === 'oc' ? 'kubectl' : name === 'tofu' || name === 'terragrunt' ? 'terraform' : name] ?? []).map((a) => a.value);
  const line = `${name} ${w.slice(0, 2).join(' ')}`.trim();
  switch (name) {
    case 'git': {
      // A push to a remote that deploys: `git push heroku main`, `git push production`.
      const git = parseGit(gitArgv(inv), inv.state.cwd);
      if (git.sub !== 'push' || hasShort(git.rest, 'n')) return undefined;
      const remote = operands(git.rest, ['--repo', '-o', '--push-option', '--receive-pack', '--exec'])[0]?.value;
      return remote !== undefined && DEPLOY_REMOTE.test(remote) ? `git push ${git.rest.map((a) => a.value).join(' ')}`.trim() : undefined;
    }
    case 'make':
    case 'just':
    case 'task':
      return w.some((t) => DEPLOY_TARGET.test(t)) && !hasShort(rest, 'n') ? `${name} ${w.find((t) => DEPLOY_TARGET.test(t))}` : undefined;
    case 'cap':
    case 'mina':
      return w.some((t) => /^deploy(?::|$)/.test(t)) ? line : undefined;
    case 'kamal':
      return ['deploy', 'redeploy', 'rollback', 'setup'].includes(w[0] ?? '') ? line : undefined;
    case 'docker':
      return w[0] === 'stack' && w[1] === 'deploy' ? line : undefined;
    case 'skaffold':
      return w[0] === 'run' || w[0] === 'deploy' ? line : undefined;
    case 'argocd':
      return w[0] === 'app' && ['sync', 'rollback', 'set'].includes(w[1] ?? '') ? line : undefined;
    case 'ansible-playbook': {
      // Running a playbook against a production inventory or host group.
      const targets = [...rest.filter((a, i) => ['-i', '--inventory', '-l', '--limit'].includes(rest[i - 1]?.value ?? '')), ...rest.filter((a) => /^--(?:inventory|limit)=/.test(a.value))].map((a) => a.value);
      return targets.some((t) => /prod/i.test(t)) && !hasShort(rest, 'C') && !hasLong(rest, '--check', '--syntax-check', '--list-hosts', '--list-tasks') ? `ansible-playbook ${targets.join(' ')}` : undefined;
    }
    case 'vercel':
      return rest.some((a) => a.value === '--prod') || w[0] === 'deploy' || w[0] === 'promote' ? line : undefined;
    case 'netlify':
      return w[0] === 'deploy' && rest.some((a) => a.value === '--prod') ? `${line} --prod` : undefined;
    case 'fly':
    case 'flyctl':
    case 'firebase':
    case 'serverless':
    case 'sls':
    case 'cdk':
    case 'cdktf':
    case 'eb':
    case 'sam':
    case 'wrangler':
      return w[0] === 'deploy' || (name === 'wrangler' && w[0] === 'publish') ? line : undefined;
    case 'gcloud':
      return w.includes('deploy') ? line : undefined;
    case 'aws':
      return w[1] === 'deploy' ? line : undefined;
    case 'terraform':
    case 'tofu':
    case 'terragrunt':
      return w[0] === 'apply' || w.includes('run-all') && w.includes('apply') ? line : undefined;
    case 'pulumi':
      return w[0] === 'up' || w[0] === 'update' ? line : undefined;
    case 'kubectl':
    case 'oc':
      return ['apply', 'replace', 'rollout'].includes(w[0] ?? '') && !(w[0] === 'rollout' && w[1] === 'status') ? line : undefined;
    case 'helm':
      return ['install', 'upgrade', 'rollback', 'uninstall'].includes(w[0] ?? '') ? line : undefined;
    case 'railway':
      return w[0] === 'up' ? line : undefined;
    case 'heroku':
      return /^(?:container:release|releases:rollback)$/.test(w[0] ?? '') ? line : undefined;
    case 'npm':
    case 'yarn':
    case 'pnpm':
    case 'bun':
      return /^deploy(?::|$)/.test((w[0] === 'run' ? w[1] : w[0]) ?? '') && !(name === 'pnpm' && w[0] === 'deploy') ? line : undefined;
    default:
      return undefined;
  }
};

export const BUILTIN_MATCHERS: Record<string, Matcher> = {
  'add-dependency': addDependency,
  'create-migration': createMigration,
  sudo,
  'git-push': gitPush,
  publish,
  deploy,
};

/** A custom trigger's `command:` words, '*' for any one word, matched against the invocation after wrappers. */
export function matchCommandPattern(pattern: string, inv: Invocation): string | undefined {
  const want = pattern.trim().split(/\s+/);
  const have = [inv.name, ...words(inv)];
  const matches = (list: string[]): boolean => want.length <= list.length && want.every((w, i) => w === '*' || w === list[i]);
  if (matches(have) || matches([inv.name, ...words(inv).filter((v) => !v.startsWith('-'))])) return have.slice(0, Math.max(want.length, 1)).join(' ');
  return undefined;
}

export function ruleStopTriggers(inv: Invocation, an: RuleContext): void {
  for (const trigger of an.constraints.stopTriggers) {
    let matched: string | undefined;
    if (trigger.command !== undefined) matched = inv.args.length > 0 ? matchCommandPattern(trigger.command, inv) : undefined;
    else if (trigger.write === undefined) matched = BUILTIN_MATCHERS[trigger.id]?.(inv);
    if (matched === undefined) continue;
    an.add(trigger.id, 'ask', `\`${matched}\` is a stop trigger ('${trigger.id}')${trigger.reason ? `: ${trigger.reason}` : ''}. A human must approve it; ask the user, saying what you want to run and why.`, inv.segment);
  }
}

const PORT_VARS = new Set(['PORT', 'HTTP_PORT', 'SERVER_PORT', 'APP_PORT', 'LISTEN_PORT']);

/** `PORT=5432 npm start`, `--port 5432`, `python -m http.server 5432`, `docker run -p 5432:80`: binds a locked port. */
export function ruleBashPorts(inv: Invocation, an: RuleContext): void {
  const ports = an.constraints.ports;
  if (Object.keys(ports).length === 0 || inv.args.length === 0) return;
  const bound: number[] = [];
  for (const [name, value] of inv.assigns) if (PORT_VARS.has(name) && /^\d+$/.test(value.value)) bound.push(Number(value.value));
  const rest = inv.args.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    const next = rest[i + 1]?.value ?? '';
    if (v === '--port' || v === '--http-port') bound.push(Number(next));
    else if (/^--(?:http-)?port=\d+$/.test(v)) bound.push(Number(v.slice(v.indexOf('=') + 1)));
    else if ((v === '-p' || v === '--publish') && (inv.name === 'docker' || inv.name === 'podman')) bound.push(Number(/^(?:[\d.]+:)?(\d+):/.exec(next)?.[1]));
    else if (v === 'http.server' && /^\d+$/.test(next)) bound.push(Number(next));
  }
  const text = inv.args.map((a) => a.value).join(' ').toLowerCase();
  for (const port of bound) {
    const service = ports[port];
    if (service === undefined || text.includes(service.toLowerCase())) continue;
    an.add('port-locked', 'ask', portMessage({ port, service, line: 0 }, `\`${inv.args.map((a) => a.value).join(' ')}\``), inv.segment);
  }
}

export const triggerRules: RuleModule[] = [
  { name: 'stop-triggers', commands: ['*'], check: ruleStopTriggers },
  { name: 'bash-ports', commands: ['*'], check: ruleBashPorts },
];
