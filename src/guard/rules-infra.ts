// Containers, clusters, infrastructure and cloud CLIs: host paths mounted into containers, and deletions
// whose data lives outside git (volumes, namespaces, stacks, buckets).
import { posix } from 'node:path';
import type { Invocation, RuleContext, RuleModule } from './rule-context.js';
import { classifyAbs, isInside, type PathInfo } from './classify-path.js';
import { hasLong, hasShort, operands } from './flags.js';
import { cloneState, literalArg, type Arg } from './resolve-word.js';

const RUN_VALUED = new Set([
  '-v', '--volume', '--mount', '-e', '--env', '--env-file', '-p', '--publish', '--name', '-w', '--workdir', '-u', '--user', '--network', '--net',
  '-l', '--label', '--label-file', '--entrypoint', '-h', '--hostname', '--add-host', '--cpus', '-m', '--memory', '--memory-swap', '--platform',
  '--restart', '--device', '--cap-add', '--cap-drop', '--security-opt', '--tmpfs', '--ulimit', '--log-driver', '--log-opt', '--pid', '--ipc',
  '--shm-size', '--dns', '--dns-search', '--dns-option', '--gpus', '--runtime', '--volumes-from', '--link', '-a', '--attach', '--cidfile', '--expose',
  '--health-cmd', '--health-interval', '--health-retries', '--health-timeout', '--health-start-period', '--stop-signal', '--stop-timeout', '--pull',
  '--userns', '--uts', '--mac-address', '--ip', '--ip6', '--isolation', '--cgroupns', '--cgroup-parent', '--device-cgroup-rule', '--blkio-weight',
  '--cpu-shares', '-c', '--cpuset-cpus', '--cpuset-mems', '--oom-score-adj', '--sysctl', '--storage-opt', '--group-add', '--domainname', '--annotation',
  '--detach-keys', '--network-alias', '--volume-driver', '--kernel-memory', '--memory-reservation', '--pids-limit', '--cpu-period', '--cpu-quota',
]);
const EXEC_VALUED = new Set(['-e', '--env', '--env-file', '-w', '--workdir', '-u', '--user', '--detach-keys']);
const GLOBAL_VALUED = new Set(['-H', '--host', '--context', '-c', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey', '--url', '--connection', '--remote']);

interface Mount {
  host: string;
  container: string;
  readOnly: boolean;
}

/** Splits `[opts] WORD rest…` at the first word that is not an option or an option's value. */
function splitOptions(args: Arg[], valued: ReadonlySet<string>): { options: Arg[]; word: Arg | undefined; rest: Arg[] } {
  let i = 0;
  for (; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (v === '--') {
      i++;
      break;
    }
    if (!v.startsWith('-') || v === '-') break;
    if (v.startsWith('--')) {
      if (!v.includes('=') && valued.has(v)) i++;
      continue;
    }
    // Short flags: `-v x`, `-vx` (glued value), `-it` (cluster).
    const flag = v.slice(0, 2);
    if (valued.has(flag) && v.length === 2) i++;
  }
  return { options: args.slice(0, i), word: args[i], rest: args.slice(i + 1) };
}

function optionValues(options: Arg[], names: string[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < options.length; i++) {
    const a = options[i] as Arg;
    for (const name of names) {
      if (a.value === name && options[i + 1]) out.push(options[i + 1] as Arg);
      else if (name.startsWith('--') && a.value.startsWith(`${name}=`)) out.push({ ...a, value: a.value.slice(name.length + 1) });
      else if (!name.startsWith('--') && a.value.startsWith(name) && a.value.length > name.length && !a.value.startsWith('--')) out.push({ ...a, value: a.value.slice(name.length) });
    }
  }
  return out;
}

function mountsOf(options: Arg[], inv: Invocation, an: RuleContext): Mount[] {
  const mounts: Mount[] = [];
  for (const volume of optionValues(options, ['-v', '--volume'])) {
    const parts = volume.value.split(':');
    if (parts.length < 2) continue;
    const [source, target, flags] = parts as [string, string, string | undefined];
    if (!/^[/.~]/.test(source) && !source.includes('\u0000')) continue; // a named volume
    const path = an.path({ ...volume, value: source }, inv);
    const host = path.kind === 'exact' ? path.abs : path.kind === 'within' ? path.base : '/';
    mounts.push({ host, container: posix.resolve('/', target), readOnly: /(?:^|,)ro(?:,|$)/.test(flags ?? '') });
  }
  for (const spec of optionValues(options, ['--mount'])) {
    const fields = new Map(spec.value.split(',').map((kv) => [kv.split('=')[0] ?? '', kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : 'true'] as const));
    if ((fields.get('type') ?? 'volume') !== 'bind') continue;
    const source = fields.get('source') ?? fields.get('src');
    const target = fields.get('target') ?? fields.get('destination') ?? fields.get('dst');
    if (!source || !target) continue;
    const path = an.path(literalArg(source), inv);
    const host = path.kind === 'exact' ? path.abs : path.kind === 'within' ? path.base : '/';
    mounts.push({ host, container: posix.resolve('/', target), readOnly: fields.has('readonly') || fields.has('ro') });
  }
  return mounts;
}

/** Maps a path inside the container to the host path it writes, or undefined when it stays in the container. */
function toHost(path: PathInfo, mounts: Mount[]): PathInfo | undefined {
  if (path.kind === 'unknown') return undefined;
  const inner = path.kind === 'exact' ? path.abs : path.base;
  const mount = mounts.filter((m) => isInside(m.container, inner)).sort((a, b) => b.container.length - a.container.length)[0];
  if (!mount || mount.readOnly) return undefined;
  const host = posix.join(mount.host, posix.relative(mount.container, inner));
  return path.kind === 'exact' ? { kind: 'exact', abs: host, display: `${path.display} (host ${host})` } : { ...path, base: host, display: `${path.display} (host ${host})` };
}

/** Analyses a command run inside a container: its writes count only where they land in a host mount. */
function inContainer(command: Arg[], mounts: Mount[], workdir: string, inv: Invocation, an: RuleContext, where: string): void {
  if (command.length === 0) return;
  const state = cloneState(inv.state);
  state.cwd = workdir;
  const inner = an.capture(() => an.invoke(command, { state, depth: inv.depth + 1, segment: inv.segment, background: false, stdin: undefined }));
  for (const target of inner.targets) {
    const host = toHost(target.path, mounts);
    if (host) an.target({ ...target, path: host, via: `${where}: ${target.via}` });
  }
  for (const finding of inner.findings) finding.message = `inside \`${where}\`: ${finding.message}`;
}

/** A read-write mount of /, the home dir (or an ancestor of it), or a dir holding the project. */
function hostMountRisk(mounts: Mount[], an: RuleContext): Mount | undefined {
  return mounts.find((m) => {
    if (m.readOnly) return false;
    const cls = classifyAbs(m.host, an.constraints, an.context);
    return cls === 'root' || cls === 'ancestor' || isInside(m.host, an.context.home);
  });
}

function containerRun(inv: Invocation, an: RuleContext, args: Arg[], where: string): void {
  const { options, word: image, rest } = splitOptions(args, RUN_VALUED);
  if (!image) return;
  const mounts = mountsOf(options, inv, an);
  const workdir = optionValues(options, ['-w', '--workdir'])[0]?.value ?? '/';
  const entrypoint = optionValues(options, ['--entrypoint'])[0];
  const command = entrypoint ? [entrypoint, ...rest] : rest;
  const risky = hostMountRisk(mounts, an);
  if (command.length === 0) {
    if (risky) {
      an.add('docker-host-mount', 'ask', `${where} mounts ${risky.host} read-write into the container at ${risky.container} and runs the image's own command (${image.value}), which fanout cannot see; a human should confirm. Mount only the project (-v "$PWD":/app) or add :ro.`, inv.segment);
    }
    return;
  }
  inContainer(command, mounts, posix.resolve('/', workdir), inv, an, where);
}

function containerExec(inv: Invocation, an: RuleContext, args: Arg[], where: string): void {
  const { options, word: container, rest } = splitOptions(args, EXEC_VALUED);
  if (!container) return;
  const workdir = optionValues(options, ['-w', '--workdir'])[0]?.value ?? '/';
  inContainer(rest, [], posix.resolve('/', workdir), inv, an, where);
}

function volumeDelete(inv: Invocation, an: RuleContext, what: string): void {
  an.add('docker-volume-delete', 'ask', `${what} deletes Docker volumes, which hold databases and other data that exists nowhere else; a human should confirm. Remove containers and images (docker rm, docker image prune) without touching volumes.`, inv.segment);
}

export function ruleContainer(inv: Invocation, an: RuleContext): void {
  const { word: first, rest } = splitOptions(inv.args.slice(1), GLOBAL_VALUED);
  if (!first) return;
  let sub = first.value;
  let args = rest;
  if ((sub === 'container' || sub === 'image' || sub === 'volume' || sub === 'system' || sub === 'compose') && args[0]) {
    sub = `${sub} ${(args[0] as Arg).value}`;
    args = args.slice(1);
  }
  if (sub === 'compose') return;
  if (sub.startsWith('compose ')) {
    const { word: verb, rest: composeRest } = splitOptions([literalArg(sub.slice(8)), ...args], new Set(['-f', '--file', '-p', '--project-name', '--profile', '--env-file', '--project-directory']));
    if (verb?.value === 'down' && (hasShort(composeRest, 'v') || hasLong(composeRest, '--volumes'))) volumeDelete(inv, an, `${inv.name} compose down --volumes`);
    if (verb?.value === 'run' || verb?.value === 'exec') {
      const { word: service, rest: command } = splitOptions(composeRest, RUN_VALUED);
      if (service) inContainer(command, [], '/', inv, an, `${inv.name} compose ${verb.value} ${service.value}`);
    }
    return;
  }
  switch (sub) {
    case 'run':
    case 'create':
    case 'container run':
    case 'container create':
      containerRun(inv, an, args, `${inv.name} run`);
      return;
    case 'exec':
    case 'container exec':
      containerExec(inv, an, args, `${inv.name} exec`);
      return;
    case 'system prune':
      if (hasLong(args, '--volumes')) volumeDelete(inv, an, `${inv.name} system prune --volumes`);
      return;
    case 'volume prune':
    case 'volume rm':
    case 'volume remove':
      volumeDelete(inv, an, `${inv.name} ${sub}`);
      return;
    default:
      return;
  }
}

const BROAD_KINDS = /^(?:namespaces?|ns|nodes?|no|persistentvolumes?|pv|persistentvolumeclaims?|pvc|customresourcedefinitions?|crds?|clusterroles?|clusterrolebindings?|storageclass(?:es)?|sc|mutatingwebhookconfigurations?|validatingwebhookconfigurations?)$/;

export function ruleKubectl(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const ops = operands(rest, ['-n', '--namespace', '--context', '--cluster', '--kubeconfig', '-l', '--selector', '-f', '--filename', '-o', '--output', '--field-selector', '--grace-period', '--timeout', '-s', '--server', '--user', '--token']);
  if (ops[0]?.value !== 'delete') return;
  const kinds = (ops[1]?.value ?? '').split(',').map((k) => k.split('/')[0]?.split('.')[0] ?? '');
  const all = hasLong(rest, '--all', '--all-namespaces') || hasShort(rest, 'A', ['-n', '-l', '-f', '-o', '-s']);
  const broad = kinds.find((k) => BROAD_KINDS.test(k));
  if (broad || all) {
    an.add('kubectl-delete-broad', 'ask', `${inv.name} delete ${broad ? `${broad} removes a whole ${broad} and everything in it` : '--all removes every matching resource'}; a human should confirm. Delete the specific resource by name (kubectl delete pod <name> is fine).`, inv.segment);
  }
}

export function ruleTerraform(inv: Invocation, an: RuleContext): void {
  const words = inv.args.slice(1).filter((a) => !a.value.startsWith('-')).map((a) => a.value);
  const rest = inv.args.slice(1);
  const destroy =
    words.includes('destroy') ||
    words.includes('destroy-all') ||
    (inv.name === 'pulumi' && words[0] === 'down') ||
    (words[0] === 'apply' && rest.some((a) => a.value === '-destroy' || a.value === '--destroy'));
  if (destroy && !rest.some((a) => a.value === '-help' || a.value === '--help')) {
    an.add('infra-destroy', 'ask', `${inv.name} destroy tears down real infrastructure (servers, databases, their data); a human should confirm. Run \`${inv.name} plan -destroy\` to show what it would remove.`, inv.segment);
  }
}

export function ruleCloud(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const words = rest.filter((a) => !a.value.startsWith('-')).map((a) => a.value);
  let what: string | undefined;
  if (inv.name === 'aws') {
    if (words[0] === 's3' && ((words[1] === 'rm' && hasLong(rest, '--recursive')) || (words[1] === 'rb' && hasLong(rest, '--force')))) what = `aws s3 ${words[1]}`;
    else if (words[0] === 's3api' && /^delete-bucket$/.test(words[1] ?? '')) what = 'aws s3api delete-bucket';
    else if (/^(?:delete|terminate|deregister|purge)-/.test(words[1] ?? '')) what = `aws ${words[0]} ${words[1]}`;
  } else if (inv.name === 'gsutil') {
    if ((words[0] === 'rm' && (hasShort(rest, 'r') || hasShort(rest, 'a'))) || words[0] === 'rb') what = `gsutil ${words[0]}`;
  } else if (words.includes('delete') && (inv.name === 'gcloud' || inv.name === 'az')) {
    what = `${inv.name} ${words.slice(0, words.indexOf('delete') + 1).join(' ')}`;
  }
  if (what) an.add('cloud-delete', 'ask', `${what} deletes cloud resources or data that git cannot bring back; a human should confirm.`, inv.segment);
}

export const infraRules: RuleModule[] = [
  { name: 'container', commands: ['docker', 'podman', 'nerdctl'], check: ruleContainer },
  { name: 'kubectl', commands: ['kubectl', 'oc'], check: ruleKubectl },
  { name: 'terraform', commands: ['terraform', 'tofu', 'terragrunt', 'pulumi', 'cdk', 'cdktf'], check: ruleTerraform },
  { name: 'cloud', commands: ['aws', 'gsutil', 'gcloud', 'az'], check: ruleCloud },
];
