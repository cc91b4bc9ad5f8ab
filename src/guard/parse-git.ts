// git's command line: global options (-C, -c, --git-dir, --work-tree …), then the subcommand and its arguments.
import { pathOf } from './classify-path.js';
import type { Arg } from './resolve-word.js';

export interface GitCall {
  /** The subcommand ('' when there is none). */
  sub: string;
  /** Arguments after the subcommand. */
  rest: Arg[];
  /** `-c key=value` pairs, keys lower-cased. */
  config: Map<string, Arg>;
  /** Where git works: -C and --work-tree applied; undefined when unknowable. */
  cwd: string | undefined;
  /** Global options, as given (to re-run an alias with them). */
  globals: Arg[];
}

const GLOBAL_VALUED = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--super-prefix', '--config-env', '--list-cmds', '--attr-source']);

export function parseGit(args: Arg[], cwd: string | undefined): GitCall {
  const config = new Map<string, Arg>();
  const globals: Arg[] = [];
  let where = cwd;
  let i = 1;
  for (; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.value;
    if (!v.startsWith('-')) break;
    globals.push(a);
    const eq = v.indexOf('=');
    const flag = v.startsWith('--') && eq !== -1 ? v.slice(0, eq) : v;
    if (!GLOBAL_VALUED.has(flag)) continue;
    const value = flag !== v ? { ...a, value: v.slice(eq + 1) } : args[++i];
    if (value === undefined) break;
    if (flag === v) globals.push(value);
    if (flag === '-C' || flag === '--work-tree') {
      const dir = pathOf(value, where);
      where = dir.kind === 'exact' ? dir.abs : undefined;
    } else if (flag === '-c') {
      const at = value.value.indexOf('=');
      const key = (at === -1 ? value.value : value.value.slice(0, at)).toLowerCase();
      config.set(key, { ...value, value: at === -1 ? 'true' : value.value.slice(at + 1) });
    }
  }
  return { sub: args[i]?.value ?? '', rest: args.slice(i + 1), config, cwd: where, globals };
}
