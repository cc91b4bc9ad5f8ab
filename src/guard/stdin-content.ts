// What flows between commands: network or decoded content, text a command prints, code fed to a shell on stdin.
import type { Invocation, RuleContext } from './rule-context.js';
import { isKnown, NUL, type Arg, type Taint } from './resolve-word.js';

/** Decoders whose output is never plain text a person wrote. */
const STRONG_DECODERS = new Set(['base64', 'base32', 'basenc', 'openssl', 'xxd', 'uudecode']);

const NETWORK = new Set(['curl', 'wget', 'fetch', 'http', 'https', 'xh', 'aria2c', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'telnet', 'lwp-request', 'lwp-download', 'GET', 'ftp', 'tftp']);

const decoded = new WeakMap<Invocation, boolean>();

/** Commands whose output is decoded or unpacked content (as opposed to text written in the command). */
export function decodes(inv: Invocation): boolean {
  let known = decoded.get(inv);
  if (known === undefined) {
    known = decoder(inv);
    decoded.set(inv, known);
  }
  return known;
}

const DECODERS = new Set(['base64', 'base32', 'basenc', 'openssl', 'xxd', 'uudecode', 'gunzip', 'zcat', 'bunzip2', 'bzcat', 'unxz', 'xzcat', 'rev', 'tr', 'gzip', 'bzip2', 'xz', 'zstd', 'brotli', 'printf', 'echo']);

function decoder(inv: Invocation): boolean {
  if (!DECODERS.has(inv.name)) return false;
  const args = inv.args.slice(1).map((a) => a.value);
  switch (inv.name) {
    case 'base64':
    case 'base32':
    case 'basenc':
      return args.some((a) => /^-[a-zA-Z]*[dD]/.test(a) || a === '--decode');
    case 'openssl':
      return args.includes('-d') || args.includes('base64') || args.includes('-base64');
    case 'xxd':
      return args.some((a) => /^-[a-z]*r/.test(a));
    case 'uudecode':
    case 'gunzip':
    case 'zcat':
    case 'bunzip2':
    case 'bzcat':
    case 'unxz':
    case 'xzcat':
    case 'rev':
    case 'tr':
      return true;
    case 'gzip':
    case 'bzip2':
    case 'xz':
    case 'zstd':
    case 'brotli':
      return args.some((a) => /^-[a-z]*d/.test(a) || a === '--decompress');
    case 'printf': {
      // Escapes in the format (or in arguments printed with %b) are decoded; %s prints its argument as written.
      const rest = args[0] === '-v' ? args.slice(2) : args;
      const format = rest[0] === '--' ? rest[1] : rest[0];
      const escaped = (a: string): boolean => /\\(?:x[0-9a-fA-F]|[0-7]{3}|u[0-9a-fA-F])/.test(a);
      return format !== undefined && (escaped(format) || (format.includes('%b') && rest.some(escaped)));
    }
    case 'echo':
      return args.some((a) => /^-[a-zA-Z]*e/.test(a)) && args.some((a) => /\\(?:x[0-9a-fA-F]|[0-7]{3})/.test(a));
    default:
      return false;
  }
}

export function isNetwork(inv: Invocation): boolean {
  return NETWORK.has(inv.name);
}

/** Whether a command prints downloaded or decoded content (without working out what it prints). */
export function taintOfOutput(inv: Invocation): Taint | undefined {
  if (isNetwork(inv) || inv.emits === 'network' || inv.args.some((a) => a.taint === 'network')) return 'network';
  if (decodes(inv) || inv.emits === 'decode' || inv.args.some((a) => a.taint === 'decode')) return 'decode';
  return undefined;
}

/** What a pipe carries into a command: network or decoded content, a known literal, or unknown. */
export function pipeContent(producers: Array<Invocation | undefined>): { taint: Taint | undefined; literal: string | undefined } {
  let taint: Taint | undefined;
  for (const p of producers) {
    if (!p) continue;
    if (isNetwork(p) || p.emits === 'network' || p.args.some((a) => a.taint === 'network')) return { taint: 'network', literal: undefined };
    if (decodes(p) || p.emits === 'decode' || p.args.some((a) => a.taint === 'decode')) taint = 'decode';
  }
  if (taint) return { taint, literal: undefined };
  const only = producers.length === 1 ? producers[0] : undefined;
  // `cat <<EOF | sh`: cat passes its heredoc on unchanged.
  if (only && only.name === 'cat' && only.args.length === 1 && only.stdin?.kind === 'text') return { taint: only.stdin.taint, literal: only.stdin.text };
  if (only && (only.name === 'echo' || only.name === 'printf') && only.args.slice(1).every(isKnown)) {
    const printed = printedContent(only);
    if (printed) return { taint: printed.taint, literal: printed.text };
  }
  if (only?.printed) return { taint: only.printed.taint, literal: only.printed.text };
  return { taint: undefined, literal: undefined };
}

const printing = new WeakMap<Invocation, { text: string; taint: Taint | undefined } | undefined>();

/** What a command prints to stdout when the guard can tell: echo/printf of known words, cat of its heredoc, a download. */
export function printedContent(inv: Invocation): { text: string; taint: Taint | undefined } | undefined {
  if (inv.printed) return inv.printed;
  if (printing.has(inv)) return printing.get(inv);
  const got = printed(inv);
  printing.set(inv, got);
  return got;
}

function printed(inv: Invocation): { text: string; taint: Taint | undefined } | undefined {
  const words = inv.args.slice(1);
  const taint = words.find((a) => a.taint)?.taint;
  if (isNetwork(inv)) return { text: '', taint: 'network' };
  if (decodes(inv)) {
    // A real decoder, or tr/rev/gunzip … of text written in the command, is obfuscation; tr -d '\r' < file is not.
    const literal = inv.stdin?.kind === 'text' || (inv.stdin?.kind === 'pipe' && pipeContent(inv.stdin.producers).literal !== undefined);
    return STRONG_DECODERS.has(inv.name) || literal ? { text: '', taint: 'decode' } : undefined;
  }
  if (inv.printed) return inv.printed;
  if (inv.name === 'echo') {
    let escapes = false;
    while (words[0] && /^-[neE]+$/.test(words[0].value)) escapes = (words.shift() as Arg).value.includes('e') || escapes;
    const text = words.map((w) => w.value).join(' ');
    return { text: escapes ? unescape(text) : text, taint };
  }
  if (inv.name === 'printf' && words[0]) {
    const rest = words[0].value === '--' ? words.slice(1) : words;
    // printf -v var …: prints nothing, it sets var.
    if (rest[0]?.value === '-v') return { text: '', taint };
    if (rest[0]) return { text: printfText(rest[0].value, rest.slice(1).map((w) => w.value)), taint };
  }
  if ((inv.name === 'cat' || inv.name === 'tee') && inv.stdin?.kind === 'text' && (inv.name === 'tee' || words.length === 0)) return { text: inv.stdin.text, taint: inv.stdin.taint };
  if ((inv.name === 'cat' || inv.name === 'tee') && inv.stdin?.kind === 'pipe') {
    const content = pipeContent(inv.stdin.producers);
    if (content.taint || content.literal !== undefined) return { text: content.literal ?? '', taint: content.taint };
  }
  return undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\u0007', b: '\b', f: '\f', v: '\v', e: '\u001b', '\\': '\\', "'": "'", '"': '"' };

/** Backslash escapes as printf's format, %b and echo -e decode them (\n, \0, \x72, \162 …). */
export function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|0[0-7]{0,3}|[1-7][0-7]{0,2}|.)/g, (whole, c: string) => {
    if (c.startsWith('x')) return parseInt(c.slice(1), 16) === 0 ? NUL : String.fromCharCode(parseInt(c.slice(1), 16));
    if (/^[0-7]/.test(c)) {
      const code = parseInt(c, 8) & 0xff;
      return code === 0 ? NUL : String.fromCharCode(code);
    }
    return ESCAPES[c] ?? whole;
  });
}

const DIRECTIVE = /%[-+ #0-9.*]*[sbdiqcxXouaAeEfgG%]/g;

/** printf's output, near enough to analyse as code: escapes decoded, %-directives filled in order (the format reused). */
export function printfText(format: string, args: string[]): string {
  const unescaped = unescape(format);
  const consumes = (unescaped.match(DIRECTIVE) ?? []).filter((d) => d !== '%%').length;
  let out = '';
  let next = 0;
  do {
    out += unescaped.replace(DIRECTIVE, (directive) => {
      if (directive === '%%') return '%';
      const value = args[next++] ?? '';
      return directive.endsWith('b') ? unescape(value) : value;
    });
  } while (next < args.length && consumes > 0 && out.length < 100_000);
  return out;
}

/** What a command reads on stdin: literal text (heredoc, here-string, echo |), tainted content, or something unknowable. */
export type StdinCode = { kind: 'text'; text: string } | { kind: 'taint'; taint: Taint } | { kind: 'unknown' } | { kind: 'none' };

export function stdinCode(inv: Invocation): StdinCode {
  const stdin = inv.stdin;
  if (stdin === undefined) return { kind: 'none' };
  if (stdin.kind === 'text') return stdin.taint ? { kind: 'taint', taint: stdin.taint } : { kind: 'text', text: stdin.text };
  const content = pipeContent(stdin.producers);
  if (content.taint) return { kind: 'taint', taint: content.taint };
  if (content.literal !== undefined) return { kind: 'text', text: content.literal };
  return { kind: 'unknown' };
}

/** Network or decoded content run as code. */
export function taintFinding(ctx: Pick<RuleContext, 'add'>, taint: Taint, segment: string, verb: string): void {
  if (taint === 'network') {
    ctx.add('pipe-to-shell', 'deny', `this ${verb} content downloaded from the network as code, unseen. Download it to a file, read it, then run that file.`, segment);
  } else {
    ctx.add('decode-to-shell', 'deny', `this ${verb} decoded or unpacked content as code, so nobody can see what runs. Decode it to a file, read it, then run the plain command.`, segment);
  }
}
