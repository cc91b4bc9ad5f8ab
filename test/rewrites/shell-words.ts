// What the rewrite generator needs to know about a command line: its simple commands (with source positions),
// which words are plain literals, and a few facts that decide whether a rewrite keeps the meaning.
import { parse, type Command, type CompoundList, type Statement, type Word } from 'unbash';

export interface SimpleCommand {
  node: Command;
  name: Word;
  /** Argument words (assignments given as arguments, as to `declare`, are left out and flagged). */
  args: Word[];
  assignArgs: boolean;
  /** 0 for the first stage of a pipeline (or a command outside one). */
  pipelineIndex: number;
  /** stdin is a pipe, a redirect or a heredoc here (not inherited from the caller). */
  stdinBound: boolean;
  hasRedirects: boolean;
  hasPrefix: boolean;
  inFunction: boolean;
}

export interface Facts {
  source: string;
  commands: SimpleCommand[];
  /** Names of functions the command line defines. */
  functions: Set<string>;
  aliases: boolean;
  /** Uses $1, $@, $# … */
  positional: boolean;
  /** Changes the working directory somewhere (cd, pushd, git -C, env -C …). */
  movesCwd: boolean;
  /** Uses features dash does not have. */
  bashOnly: boolean;
  /** Some command may read the caller's stdin (so feeding the line to a shell on stdin would change it). */
  readsStdin: boolean;
}

export interface Edit {
  pos: number;
  end: number;
  text: string;
}

export function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  for (const edit of [...edits].sort((a, b) => b.pos - a.pos)) out = out.slice(0, edit.pos) + edit.text + out.slice(edit.end);
  return out;
}

/** A word the shell passes on unchanged: no quotes, expansions, globs, braces, tilde or escapes. */
export const PLAIN = /^[A-Za-z0-9_./@%+=:,-]+$/;
export const isPlain = (word: Word): boolean => PLAIN.test(word.text);
/** Plain, or a tilde prefix followed by plain text (`~`, `~/x`): expanded the same way in any word position that starts a word. */
export const isPlainOrTilde = (word: Word): boolean => /^~(?:\/[A-Za-z0-9_./@%+=:,-]*)?$/.test(word.text) || isPlain(word);

/** Single-quotes a string for bash. */
export function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const STDIN_READERS = new Set(['read', 'mapfile', 'readarray', 'xargs', 'cat', 'sh', 'bash', 'zsh', 'dash', 'python', 'python3', 'node', 'perl', 'ruby', 'php', 'psql', 'mysql', 'sqlite3', 'crontab', 'tee', 'sed', 'awk', 'grep', 'sort', 'wc', 'head', 'tail', 'base64', 'gunzip', 'parallel', 'su', 'sudo', 'source', '.', 'redis-cli', 'mongosh', 'docker', 'kubectl', 'ssh', 'tr', 'rev', 'xxd', 'openssl', 'uniq', 'cut', 'jq', 'claude']);
const BASHISM = /<<<|\[\[|\$'|\$\{[#!]|\$\{[^}]*(?::\s*-?[0-9]|\/|\^|,|\[)|\w+\+?=\(|\b(?:source|declare|typeset|local|mapfile|readarray|shopt|select|function|coproc|pushd|popd)\b|<\(|>\(|&>|\|&|\{[^}\s'"]*,[^}\s'"]*\}|\{-?\d+\.\.-?\d+\}|\(\(|\$\(\(|==|=~|\becho\s+-e\b|\bprintf\s+-v\b|\bread\s+-[a-zA-Z]*[ad]|\$RANDOM|\$BASH|\$\{IFS|\$IFS|\btime\b|\bulimit\b/;

const cache = new Map<string, Facts | undefined>();

/** What the generator knows about a command line (memoised: composed rewrites read the same text many times). */
export function facts(source: string): Facts | undefined {
  if (cache.has(source)) return cache.get(source);
  const got = readFacts(source);
  if (cache.size > 4096) cache.clear();
  cache.set(source, got);
  return got;
}

function readFacts(source: string): Facts | undefined {
  let script;
  try {
    script = parse(source);
  } catch {
    return undefined;
  }
  if (script.errors && script.errors.length > 0) return undefined;
  const commands: SimpleCommand[] = [];
  const functions = new Set<string>();
  let readsStdin = false;
  const list = (items: readonly Statement[], bound: boolean, inFunction: boolean): void => {
    for (const statement of items) node(statement.command, bound, inFunction, 0);
  };
  const compound = (body: CompoundList | undefined, bound: boolean, inFunction: boolean): void => {
    if (body) list(body.commands, bound, inFunction);
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const node = (n: any, bound: boolean, inFunction: boolean, index: number): void => {
    switch (n.type) {
      case 'AndOr':
        for (const c of n.commands) node(c, bound, inFunction, 0);
        return;
      case 'Pipeline':
        n.commands.forEach((c: unknown, i: number) => node(c, bound || i > 0, inFunction, i));
        return;
      case 'Command': {
        const cmd = n as Command;
        const stdinRedirect = cmd.redirects.some((r) => r.type === 'HereDoc' || r.type === 'HereString' || (r.type === 'Redirect' && (r.operator === '<' || r.operator === '<>' || r.operator === '<&')));
        if (!cmd.name) return;
        const args = cmd.args.filter((a): a is Word => a.type === 'Word');
        commands.push({ node: cmd, name: cmd.name, args, assignArgs: args.length !== cmd.args.length, pipelineIndex: index, stdinBound: bound || stdinRedirect, hasRedirects: cmd.redirects.length > 0, hasPrefix: cmd.prefix.length > 0, inFunction });
        const base = cmd.name.value.split('/').pop() ?? '';
        if (!bound && !stdinRedirect && (STDIN_READERS.has(base) || /^python/.test(base))) readsStdin = true;
        return;
      }
      case 'Subshell':
      case 'BraceGroup':
        compound(n.body, bound, inFunction);
        return;
      case 'If':
        compound(n.clause, bound, inFunction);
        compound(n.then, bound, inFunction);
        for (const e of n.elif) {
          compound(e.clause, bound, inFunction);
          compound(e.then, bound, inFunction);
        }
        compound(n.else, bound, inFunction);
        return;
      case 'For':
      case 'Select':
      case 'ArithmeticFor':
        compound(n.body, bound, inFunction);
        return;
      case 'While':
        compound(n.clause, bound, inFunction);
        compound(n.body, bound, inFunction);
        return;
      case 'Case':
        for (const item of n.items) compound(item.body, bound, inFunction);
        return;
      case 'Function':
        functions.add(n.name.value);
        if (n.body.type === 'CompoundList') compound(n.body, bound, true);
        else node(n.body, bound, true, 0);
        return;
      case 'Redirected': {
        const input = n.redirects.some((r: { type: string; operator?: string }) => r.type !== 'Redirect' || r.operator === '<');
        node(n.command, bound || input, inFunction, index);
        return;
      }
      case 'Coproc':
        if (n.body.type === 'CompoundList') compound(n.body, true, inFunction);
        else node(n.body, true, inFunction, 0);
        return;
      default:
        return;
    }
  };
  list(script.commands, false, false);
  return {
    source,
    commands,
    functions,
    aliases: /\balias\b/.test(source),
    positional: /\$(?:[0-9@*#]|\{[0-9@*#])/.test(source),
    movesCwd: /\b(?:cd|pushd|popd|chroot|docker|podman|ssh|su|sudo|doas|runuser|nix-shell)\b|\s-C\b|--chdir|--work-tree|--git-dir|-execdir|--directory|\bgit\b.*\bsubmodule\b/.test(source),
    bashOnly: BASHISM.test(source),
    readsStdin,
  };
}
