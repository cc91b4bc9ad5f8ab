// The items a command reads as a list (xargs, while read …): literal when the producer shows them, else what the
// guard knows about them (entries below a find's start points), else unknown.
import { operands } from './flags.js';
import type { Invocation } from './rule-context.js';
import { literalArg, UNKNOWN, type Arg } from './resolve-word.js';
import { pipeContent } from './stdin-content.js';

/** A path standing for "some entries below dir" (find matches, xargs items from find). */
export function below(dir: Arg): Arg {
  const base = dir.value.replace(/\/+$/, '') || '/';
  return { ...dir, value: `${base === '/' ? '' : base}/${UNKNOWN}`, globAt: -1 };
}

/** Items judged one by one; past the cap the rest stands as one unknown item (a recursive delete of it asks). */
const MAX_XARGS_ITEMS = 4096;

function capItems(items: Arg[]): Arg[] {
  return items.length <= MAX_XARGS_ITEMS ? items : [...items.slice(0, MAX_XARGS_ITEMS), { text: '(more items)', value: UNKNOWN, globAt: -1, taint: items[0]?.taint }];
}

/** xargs appends stdin items to the command: unknown, unless the producer lists them (echo) or finds them (find). */
export function xargsItems(inv: Invocation): Arg[] {
  if (!inv.unwrapped.xargs || inv.unwrapped.xargs.consumed) return [];
  const stdin = inv.stdin;
  if (stdin?.kind === 'text') return capItems(stdin.text.split(/\s+/).filter(Boolean).map((v) => ({ text: v, value: v, globAt: -1, taint: stdin.taint })));
  const producer = stdin?.kind === 'pipe' && stdin.producers.length === 1 ? stdin.producers[0] : undefined;
  if (producer && (producer.name === 'echo' || producer.name === 'printf') && producer.args.length > 1) {
    return capItems(producer.args.slice(1).filter((a) => !a.value.startsWith('-')).flatMap((a) => a.value.split(/\s+/).filter(Boolean).map((v) => ({ ...a, value: v }))));
  }
  if (producer && (producer.name === 'find' || producer.name === 'fd' || producer.name === 'ls' || producer.name === 'grep' || producer.name === 'rg')) {
    const roots: Arg[] = [];
    if (producer.name === 'find') {
      for (const a of producer.args.slice(1)) {
        if (/^[-(!]/.test(a.value)) break;
        roots.push(a);
      }
    } else if (producer.name === 'ls') roots.push(...operands(producer.args.slice(1)));
    return (roots.length > 0 ? roots : [literalArg('.')]).map(below);
  }
  const taint = stdin?.kind === 'pipe' ? pipeContent(stdin.producers).taint : undefined;
  return [{ text: '(stdin)', value: UNKNOWN, globAt: -1, taint }];
}
