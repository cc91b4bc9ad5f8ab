// What flows between commands: network or decoded content, text a command prints, code fed to a shell on stdin.
import type { Invocation, RuleContext } from './rule-context.js';
import { isKnown, type Taint } from './resolve-word.js';

/** Decoders whose output is never plain text a person wrote. */
const STRONG_DECODERS = new Set(['base64', 'base32', 'basenc', 'openssl', 'xxd', 'uudecode']);

const NETWORK = new Set(['curl', 'wget', 'fetch', 'http', 'https', 'xh', 'aria2c', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'telnet', 'lwp-request', 'lwp-download', 'GET', 'ftp', 'tftp']);

/** Commands whose output is decoded or unpacked content (as opposed to text written in the command). */
export function decodes(inv: Invocation): boolean {
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
    case 'printf':
      return args.some((a) => /\\(?:x[0-9a-fA-F]|[0-7]{3}|u[0-9a-fA-F])/.test(a));
    case 'echo':
      return args.some((a) => /^-[a-zA-Z]*e/.test(a)) && args.some((a) => /\\(?:x[0-9a-fA-F]|[0-7]{3})/.test(a));
    default:
      return false;
  }
}

export function isNetwork(inv: Invocation): boolean {
  return NETWORK.has(inv.name);
}

/** What a pipe carries into a command: network or decoded content, a known literal, or unknown. */
export function pipeContent(producers: Array<Invocation | undefined>): { taint: Taint | undefined; literal: string | undefined } {
  let taint: Taint | undefined;
  for (const p of producers) {
    if (!p) continue;
    if (isNetwork(p) || p.args.some((a) => a.taint === 'network')) return { taint: 'network', literal: undefined };
    if (decodes(p) || p.args.some((a) => a.taint === 'decode')) taint = 'decode';
  }
  if (taint) return { taint, literal: undefined };
  const only = producers.length === 1 ? producers[0] : undefined;
  // `cat <<EOF | sh`: cat passes its heredoc on unchanged.
  if (only && only.name === 'cat' && only.args.length === 1 && only.stdin?.kind === 'text') return { taint: only.stdin.taint, literal: only.stdin.text };
  if (only && (only.name === 'echo' || only.name === 'printf') && only.args.slice(1).every(isKnown)) {
    const words = only.args.slice(1).map((a) => a.value);
    while (words[0]?.startsWith('-') && only.name === 'echo') words.shift();
    return { taint: undefined, literal: words.join(' ') };
  }
  return { taint: undefined, literal: undefined };
}

/** What a command prints to stdout when the guard can tell: echo/printf of known words, cat of its heredoc, a download. */
export function printedContent(inv: Invocation): { text: string; taint: Taint | undefined } | undefined {
  const words = inv.args.slice(1);
  const taint = words.find((a) => a.taint)?.taint;
  if (isNetwork(inv)) return { text: '', taint: 'network' };
  if (decodes(inv)) {
    // A real decoder, or tr/rev/gunzip … of text written in the command, is obfuscation; tr -d '\r' < file is not.
    const literal = inv.stdin?.kind === 'text' || (inv.stdin?.kind === 'pipe' && pipeContent(inv.stdin.producers).literal !== undefined);
    return STRONG_DECODERS.has(inv.name) || literal ? { text: '', taint: 'decode' } : undefined;
  }
  if (inv.name === 'echo') {
    while (words[0] && /^-[neE]+$/.test(words[0].value)) words.shift();
    return { text: words.map((w) => w.value).join(' '), taint };
  }
  if (inv.name === 'printf' && words[0]) return { text: printfText(words[0].value, words.slice(1).map((w) => w.value)), taint };
  if ((inv.name === 'cat' || inv.name === 'tee') && inv.stdin?.kind === 'text' && (inv.name === 'tee' || words.length === 0)) return { text: inv.stdin.text, taint: inv.stdin.taint };
  if ((inv.name === 'cat' || inv.name === 'tee') && inv.stdin?.kind === 'pipe') {
    const content = pipeContent(inv.stdin.producers);
    if (content.taint || content.literal !== undefined) return { text: content.literal ?? '', taint: content.taint };
  }
  return undefined;
}

/** printf's output, near enough to analyse as code: escapes decoded, %-directives filled in order (the format reused). */
export function printfText(format: string, args: string[]): string {
  const unescaped = format.replace(/\\([nt\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
  let out = '';
  let next = 0;
  do {
    out += unescaped.replace(/%[-+ #0-9.]*[sbdiqc]/g, () => args[next++] ?? '');
  } while (next < args.length && /%[-+ #0-9.]*[sbdiqc]/.test(unescaped) && out.length < 100_000);
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
