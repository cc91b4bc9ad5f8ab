import { describe, expect, it } from 'vitest';
import { formatCommand, quoteWord, splitWords } from '../../../src/orchestrate/split-words.js';

describe('splitWords', () => {
  const words: Array<[string, string[]]> = [
    ['claude -p', ['claude', '-p']],
    ['  node   agent.mjs\t--fast\n', ['node', 'agent.mjs', '--fast']],
    [`node 'my agent.mjs' "two words"`, ['node', 'my agent.mjs', 'two words']],
    [`'$(touch pwned)' '\`x\`' 'a;b|c&d'`, ['$(touch pwned)', '`x`', 'a;b|c&d']],
    [`"say \\"hi\\"" "back\\\\slash" "\\$HOME" "\\\`x\\\`"`, ['say "hi"', 'back\\slash', '$HOME', '`x`']],
    [`"keep \\n as is"`, ['keep \\n as is']],
    [`a\\ b c\\'d`, ['a b', "c'd"]],
    [`it"'"s' 'joined`, ["it's joined"]],
    [`'' ""`, ['', '']],
    ['npm run "test:unit" -- --reporter=dot', ['npm', 'run', 'test:unit', '--', '--reporter=dot']],
    ['line \\\n continued', ['line', 'continued']],
  ];
  it.each(words)('%j → %j', (input, expected) => {
    expect(splitWords(input)).toEqual({ ok: true, words: expected });
  });

  const refused: Array<[string, RegExp]> = [
    ['claude | tee log', /'\|' outside quotes/],
    ['npm test && npm run lint', /'&' outside quotes/],
    ['run; rm -rf x', /';' outside quotes/],
    ['cat < in > out', /'<' outside quotes/],
    ['echo $(touch pwned)', /'\$' outside quotes/],
    ['echo `touch pwned`', /'`' outside quotes/],
    ['echo $HOME', /expansions/],
    ['echo "$HOME"', /'\$' inside "…"/],
    ['echo "`id`"', /'`' inside "…"/],
    ['(subshell)', /'\(' outside quotes/],
    ["'unterminated", /unterminated ' quote/],
    ['"unterminated', /unterminated " quote/],
    ['trailing\\', /trailing backslash/],
    ['   ', /empty/],
  ];
  it.each(refused)('refuses %j', (input, message) => {
    const result = splitWords(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('quotes words so that splitting them again gives them back', () => {
    const original = ['node', '/tmp/a b/agent.mjs', "it's", '$(x)', '', 'plain-word_1.2=x'];
    expect(quoteWord('plain-word_1.2=x')).toBe('plain-word_1.2=x');
    expect(splitWords(formatCommand(original))).toEqual({ ok: true, words: original });
  });
});
