// Strips the commands that only run another command (sudo, env, timeout, xargs, npx, …) so rules see what really runs.
import { posix } from 'node:path';
import { canonicalLongOptions } from './flags.js';
import { isKnown, NUL, UNKNOWN, type Arg } from './resolve-word.js';

export interface Unwrapped {
  /** argv of the command that runs in the end; empty when the wrappers start no command (`sudo -s`, `command -v rm`). */
  args: Arg[];
  /** Wrapper names in the order they were peeled off. */
  wrappers: string[];
  /** A shell string a wrapper runs (`su -c`, `flock -c`, `env -S`, `watch`, `npx -c`). */
  shellString?: Arg;
  /** `env -C dir`, `runuser … --chdir`. */
  chdir?: Arg;
  /** NAME=value pairs given to `env`. */
  env: Array<[string, Arg]>;
  /** xargs: the command gets more arguments from stdin (or from the -a file), split on blanks, NUL (-0) or -d. */
  xargs?: { replace: string | undefined; parallel: number; consumed?: boolean; delimiter?: string | undefined; argFile?: Arg | undefined };
  /** `sudo -s`, `su` without -c: an interactive root shell. */
  rootShell?: boolean;
}

interface Spec {
  /** Short and long options that take a value (as a separate word, or glued to the flag). */
  values: string[];
  /** Positional words before the command (timeout's duration, flock's lock file). */
  skip?: number;
  /** Option that hands over a shell string. */
  shell?: string[];
  /** Options that mean no command is run. */
  none?: string[];
  privileged?: boolean;
}

const SPECS: Record<string, Spec> = {
  sudo: {
    values: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R', '--user', '--group', '--chdir', '--prompt', '--role', '--type', '--other-user', '--host', '--close-from', '--command-timeout', '--chroot'],
    none: ['-l', '-v', '-k', '-K', '-V', '--list', '--validate', '--version', '--help'],
    privileged: true,
  },
  doas: { values: ['-u', '-C'], privileged: true },
  pkexec: { values: ['--user'], privileged: true },
  runuser: { values: ['-u', '-g', '-G', '--user', '--group', '--supp-group', '-w'], shell: ['-c', '--command'], privileged: true },
  su: { values: ['-g', '-G', '-s', '--shell', '--group', '--supp-group', '-w'], shell: ['-c', '--command'], privileged: true },
  env: { values: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string', '--block-signal', '--default-signal', '--ignore-signal'] },
  command: { values: [], none: ['-v', '-V'] },
  builtin: { values: [] },
  exec: { values: ['-a'] },
  nohup: { values: [] },
  time: { values: ['-f', '-o', '--format', '--output'] },
  timeout: { values: ['-s', '-k', '--signal', '--kill-after'], skip: 1 },
  nice: { values: ['-n', '--adjustment'] },
  ionice: { values: ['-c', '-n', '--class', '--classdata'], none: ['-p', '-P', '-u', '--pid', '--pgid', '--uid'] },
  stdbuf: { values: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  chronic: { values: [] },
  unbuffer: { values: [] },
  setsid: { values: [] },
  taskset: { values: [], skip: 1, none: ['-p', '--pid'] },
  chrt: { values: [], skip: 1, none: ['-p', '--pid'] },
  flock: { values: ['-w', '-E', '--timeout', '--conflict-exit-code'], skip: 1, shell: ['-c', '--command'] },
  caffeinate: { values: ['-t', '-w'] },
  eatmydata: { values: [] },
  fakeroot: { values: [] },
  torsocks: { values: [] },
  proxychains: { values: ['-f'] },
  proxychains4: { values: ['-f'] },
  strace: { values: ['-o', '-e', '-p', '-s', '-a', '-E', '-u', '-P', '-S', '-X'] },
  ltrace: { values: ['-o', '-e', '-p', '-s', '-a', '-u'] },
  busybox: { values: [] },
  toybox: { values: [] },
  dotenv: { values: ['-e', '-c', '-v'] },
  npx: { values: ['-p', '--package', '--cache', '--userconfig'], shell: ['-c', '--call'] },
  bunx: { values: ['-p', '--package'] },
  pnpx: { values: [] },
  xargs: { values: ['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a', '--max-procs', '--max-args', '--max-lines', '--replace', '--delimiter', '--eof', '--arg-file', '--max-chars', '--process-slot-var'] },
  watch: { values: ['-n', '--interval', '-d', '--differences', '-q', '--equexit'] },
  'nix-shell': { values: ['-p', '-I', '--packages', '--arg', '--argstr', '-A', '--attr'], shell: ['--run', '--command'] },
};

/** Two-word wrappers: `poetry run cmd`, `pnpm exec cmd`, … */
const SUBCOMMAND_WRAPPERS: Record<string, string[]> = {
  poetry: ['run'],
  pipenv: ['run'],
  uv: ['run'],
  bundle: ['exec'],
  pnpm: ['exec', 'dlx'],
  npm: ['exec', 'x'],
  yarn: ['exec', 'dlx'],
  bun: ['x'],
  conda: ['run'],
  direnv: ['exec'],
  mise: ['exec', 'x'],
};

const SUBCOMMAND_VALUES = ['-n', '--name', '-p', '--prefix', '--package', '--with', '--python', '--env-file', '--directory', '--project', '--from', '--group'];

export function commandName(arg: Arg | undefined): string {
  if (arg === undefined) return '';
  // `/bin/r?? -rf ~`: a glob picks the program when the command runs.
  if (arg.globAt !== -1 && /[*?[]/.test(arg.value.slice(arg.globAt))) return '';
  if (isKnown(arg)) return posix.basename(arg.value);
  // `$VENV/bin/python`: the directory is unknown but the program is not.
  const slash = arg.value.lastIndexOf('/');
  const base = slash === -1 ? '' : arg.value.slice(slash + 1);
  return base !== '' && !base.includes(UNKNOWN) ? base : '';
}

function takeOptions(args: Arg[], start: number, spec: Spec, out: { shell?: Arg; none?: boolean; chdir?: Arg; split?: Arg; unset?: boolean; xargsReplace?: string; xargsParallel?: number; xargsDelimiter?: string; xargsArgFile?: Arg; name?: string }): number {
  let i = start;
  while (i < args.length) {
    const value = (args[i] as Arg).value;
    if (value === '--') return i + 1;
    if (!value.startsWith('-') || value === '-') {
      // `su - user`: the lone dash is a login flag.
      if (value === '-' && (out.name === 'su' || out.name === 'env')) {
        i++;
        continue;
      }
      return i;
    }
    if (out.name === 'xargs' && /^-[ile]/.test(value)) {
      if (value.startsWith('-i')) out.xargsReplace = value.slice(2) || '{}';
      i++;
      continue;
    }
    if (out.name === 'xargs' && (value === '--null' || /^-[0rtxp]+$/.test(value))) {
      if (value === '--null' || value.includes('0')) out.xargsDelimiter = NUL;
      i++;
      continue;
    }
    const eq = value.indexOf('=');
    const flag = value.startsWith('--') && eq !== -1 ? value.slice(0, eq) : value;
    const glued = value.startsWith('--') ? (eq === -1 ? undefined : value.slice(eq + 1)) : undefined;
    const matchShort = !value.startsWith('--') ? spec.values.find((v) => v.length === 2 && value.startsWith(v)) : undefined;
    const readValue = (): Arg | undefined => {
      if (glued !== undefined) return { ...(args[i] as Arg), value: glued };
      if (matchShort !== undefined && value.length > 2) return { ...(args[i] as Arg), value: value.slice(2) };
      i++;
      return args[i];
    };
    if (spec.none?.includes(flag)) out.none = true;
    if (spec.shell?.includes(flag) || (matchShort === undefined && spec.shell?.some((s) => s.length === 2 && !value.startsWith('--') && value.includes(s[1] as string)))) {
      const shell = glued !== undefined ? { ...(args[i] as Arg), value: glued } : args[i + 1];
      if (shell) out.shell = shell;
      return args.length;
    }
    if (spec.values.includes(flag) || matchShort !== undefined) {
      const key = matchShort ?? flag;
      const got = readValue();
      if (key === '-C' || key === '--chdir') {
        if (got) out.chdir = got;
      }
      if (key === '-S' || key === '--split-string') {
        if (got) out.split = got;
      }
      if (out.name === 'xargs') {
        if (key === '-I' || key === '--replace' || key === '-i') out.xargsReplace = got?.value ?? '{}';
        if (key === '-P' || key === '--max-procs') out.xargsParallel = Number(got?.value ?? '1');
        if ((key === '-d' || key === '--delimiter') && got) out.xargsDelimiter = got.value === '\\n' ? '\n' : got.value === '\\0' ? NUL : got.value;
        if ((key === '-a' || key === '--arg-file') && got) out.xargsArgFile = got;
      }
      i++;
      continue;
    }
    i++;
  }
  return i;
}

export function unwrapCommand(argv: Arg[]): Unwrapped {
  let args = argv;
  const result: Unwrapped = { args, wrappers: [], env: [] };
  for (let rounds = 0; rounds < 16 && args.length > 0; rounds++) {
    const name = commandName(args[0]);
    const sub = SUBCOMMAND_WRAPPERS[name];
    if (sub && args[1] && sub.includes(args[1].value)) {
      result.wrappers.push(`${name} ${args[1].value}`);
      let i = 2;
      while (i < args.length && (args[i] as Arg).value.startsWith('-')) {
        const flag = (args[i] as Arg).value;
        if (flag === '--') {
          i++;
          break;
        }
        i += SUBCOMMAND_VALUES.includes(flag) ? 2 : 1;
      }
      args = args.slice(i);
      continue;
    }
    const spec = SPECS[name];
    if (!spec) break;
    result.wrappers.push(name);
    const out: Parameters<typeof takeOptions>[3] = { name };
    // `xargs --max-pr 4`: its long options as getopt reads their unique prefixes.
    if (name === 'xargs') args = canonicalLongOptions(name, args, true);
    if (name === 'nice' && args[1] && /^-\d+$/.test(args[1].value)) args = [args[0] as Arg, ...args.slice(2)];
    if (name === 'stdbuf') {
      let i = 1;
      while (i < args.length && /^-[ioe]./.test((args[i] as Arg).value)) i++;
      args = [args[0] as Arg, ...args.slice(i)];
    }
    let i = takeOptions(args, 1, spec, out);
    if (name === 'su' && out.shell === undefined && i < args.length) i++;
    if (name === 'runuser' && out.shell === undefined && i < args.length && !(args[i] as Arg).value.startsWith('-') && args.slice(i).some((a) => a.value === '-c')) {
      const c = args.findIndex((a, k) => k > i && a.value === '-c');
      const shell = args[c + 1];
      if (shell) out.shell = shell;
    }
    if (out.xargsReplace !== undefined || out.xargsParallel !== undefined || name === 'xargs') {
      result.xargs = { replace: out.xargsReplace, parallel: out.xargsParallel ?? 1, delimiter: out.xargsDelimiter, argFile: out.xargsArgFile };
    }
    if (out.chdir) result.chdir = out.chdir;
    if (out.shell) {
      result.shellString = out.shell;
      result.args = [];
      return result;
    }
    if (out.split) {
      result.shellString = out.split;
      result.args = [];
      return result;
    }
    if (out.none) {
      result.args = [];
      return result;
    }
    if (name === 'env') {
      while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test((args[i] as Arg).value)) {
        const arg = args[i] as Arg;
        const eq = arg.value.indexOf('=');
        result.env.push([arg.value.slice(0, eq), { ...arg, value: arg.value.slice(eq + 1) }]);
        i++;
      }
    }
    i += Math.min(spec.skip ?? 0, Math.max(0, args.length - i));
    if (spec.skip && spec.shell) {
      // `flock FILE -c CMD`: options may follow the positional word.
      const after: Parameters<typeof takeOptions>[3] = { name };
      i = takeOptions(args, i, spec, after);
      if (after.shell) {
        result.shellString = after.shell;
        result.args = [];
        return result;
      }
    }
    if (name === 'watch') {
      // watch runs its arguments through `sh -c` joined by spaces (unless -x).
      const rest = args.slice(i);
      if (rest.length > 1 && !argv.some((a) => a.value === '-x' || a.value === '--exec')) {
        result.shellString = { text: rest.map((a) => a.text).join(' '), value: rest.map((a) => a.value).join(' '), globAt: -1, taint: rest.find((a) => a.taint)?.taint };
        result.args = [];
        return result;
      }
    }
    args = args.slice(i);
    if (args.length === 0 && spec.privileged) result.rootShell = true;
  }
  result.args = args;
  return result;
}
