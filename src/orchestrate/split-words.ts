// Commands from flags and config (--agent, --validate, --setup) are split into words like a shell splits
// them, then run without one: quoting works, expansion and operators are refused rather than half-done.

export type SplitWordsResult = { ok: true; words: string[] } | { ok: false; message: string };

/** Characters a shell would treat specially outside quotes; we refuse them instead of passing them on literally. */
const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '$']);

/**
 * Splits a command into words: whitespace separates, '…' is literal, "…" is literal except \" \\ \$ \`
 * and a backslash escapes the next character outside quotes. `$`, backticks and | & ; < > ( ) outside
 * single quotes are refused: no shell runs the command, so they would not mean what they look like.
 */
export function splitWords(command: string): SplitWordsResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const refuse = (char: string, where: string): SplitWordsResult => ({
    ok: false,
    message: `'${char}' ${where} at character ${i + 1}: commands run without a shell, so ${char === '$' || char === '`' ? 'expansions' : 'pipes, redirections and command lists'} do not work; quote it with '…' to pass it literally, or put the steps in a script and name that`,
  });
  while (i < command.length) {
    const char = command[i] as string;
    if (char === ' ' || char === '\t' || char === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end === -1) return { ok: false, message: `unterminated ' quote starting at character ${i + 1}` };
      word += command.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (char === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= command.length) return { ok: false, message: `unterminated " quote starting at character ${start + 1}` };
        const c = command[i] as string;
        if (c === '"') break;
        if (c === '\\' && i + 1 < command.length && '"\\$`\n'.includes(command[i + 1] as string)) {
          if (command[i + 1] !== '\n') word += command[i + 1];
          i += 2;
          continue;
        }
        if (c === '$' || c === '`') return refuse(c, 'inside "…"');
        word += c;
        i++;
      }
      i++;
      continue;
    }
    if (char === '\\') {
      if (i + 1 >= command.length) return { ok: false, message: 'a trailing backslash escapes nothing' };
      if (command[i + 1] !== '\n') word += command[i + 1];
      else if (word === '') inWord = false;
      i += 2;
      continue;
    }
    if (OPERATORS.has(char)) return refuse(char, 'outside quotes');
    word += char;
    i++;
  }
  if (inWord) words.push(word);
  if (words.length === 0) return { ok: false, message: 'the command is empty' };
  return { ok: true, words };
}

/** Quotes one word for display (and for Claude Code's hook commands, which run through bash). */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}
