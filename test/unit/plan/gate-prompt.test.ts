import { describe, expect, it } from 'vitest';
import { gatePrompt } from '../../../src/plan/index.js';
import { splitWords } from '../../../src/plan/gate-prompt.js';

describe('gatePrompt', () => {
  it.each([
    ['/orchestrate small-plan.md', 'small-plan.md', false],
    ['/fanout:orchestrate plans/reset.md', 'plans/reset.md', false],
    ['  /orchestrate   ./a.MD  ', './a.MD', false],
    ['/orchestrate plan.markdown', 'plan.markdown', false],
    ['/orchestrate "my plans/big plan.md"', 'my plans/big plan.md', false],
    ["/orchestrate 'it''s.md'", 'its.md', false],
    ['/orchestrate my\\ plan.md', 'my plan.md', false],
    ['/orchestrate --force plan.md', 'plan.md', true],
    ['/orchestrate plan.md --force', 'plan.md', true],
    ['/orchestrate --max-agents 3 plan.md', 'plan.md', false],
    ['/orchestrate --agent "claude -p" --timeout=10m plan.md', 'plan.md', false],
    ['/orchestrate -- --weird.md', '--weird.md', false],
    ['/orchestrate plan.md please be quick', 'plan.md', false],
    ['/orchestrate /abs/path/plan.md', '/abs/path/plan.md', false],
    ['/orchestrate plan.md\nand some notes', 'plan.md', false],
  ])('%j → plan %j (force %s)', (prompt, planPath, force) => {
    expect(gatePrompt(prompt)).toEqual({ planPath, force });
  });

  it.each([
    '/orchestrate add a password reset flow',
    '/orchestrate refactor README.md and the docs',
    '/orchestrate',
    '/orchestrate --force',
    '/orchestrate plan.txt',
    '/orchestrate-status',
    '/orchestrate-cleanup plan.md',
    '/other:orchestrate plan.md',
    'please /orchestrate plan.md',
    'run fanout orchestrate plan.md',
    '/orchestrator plan.md',
    '',
  ])('%j is not a plan invocation', (prompt) => {
    expect(gatePrompt(prompt)).toBeUndefined();
  });
});

describe('splitWords', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ["'a \"b\"' c", ['a "b"', 'c']],
    ['"a \\"b\\"" c', ['a "b"', 'c']],
    ['a\\ b', ['a b']],
    ['"unterminated quote', ['unterminated quote']],
    ['x""y', ['xy']],
    ['""', ['']],
    ['', []],
  ])('%j → %j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });
});
