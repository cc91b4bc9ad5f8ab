// The complexity gate on the guard side: `fanout orchestrate <plan>` and ad-hoc parallel `claude -p` runs.
import { describe, expect, it } from 'vitest';
import { assertAllowed, assertAsk, assertDenied, bash, context, expectVerdict, sizing, tool } from './helpers.js';

describe('fanout orchestrate <plan>', () => {
  const small = { context: context({ sizePlan: sizing('direct') }) };
  const sequential = { context: context({ sizePlan: sizing('sequential') }) };
  const parallel = { context: context({ sizePlan: sizing('parallel') }) };
  const broken = { context: context({ sizePlan: sizing('error') }) };

  it.each([
    'fanout orchestrate plans/small.md',
    'npx fanout orchestrate plans/small.md',
    'node dist/cli.mjs orchestrate plans/small.md',
    'node .claude/fanout/cli.mjs orchestrate plans/small.md --concurrency 2',
    'cd plans && fanout orchestrate small.md',
    'fanout orchestrate --agent "claude -p" plans/small.md',
  ])('%s with a small plan → gate-small-plan', (command) => assertDenied(command, 'gate-small-plan', small));

  it('the reason carries the sizing, the recommendation, and mentions orchestrate', () => {
    const verdict = bash('fanout orchestrate plans/small.md', small);
    expect(verdict.reason).toContain('the plan touches 2 files');
    expect(verdict.reason).toContain('Build it directly in this session.');
    expect(verdict.reason).toMatch(/orchestrate/);
    expect(verdict.reason).toContain('direct');
  });

  it('a sequential plan is refused too', () => assertDenied('fanout orchestrate p.md', 'gate-small-plan', sequential));
  it('--force asks instead', () => assertAsk('fanout orchestrate --force plans/small.md', 'gate-forced', small));
  it('an invalid plan is denied with the sizing error', () => {
    assertDenied('fanout orchestrate plans/broken.md', 'gate-invalid-plan', broken);
    expect(bash('fanout orchestrate plans/broken.md', broken).reason).toContain('tasks[0].files');
  });
  it('a plan path only known at run time is denied', () => assertDenied('fanout orchestrate "$PLAN"', 'gate-invalid-plan', small));
  it.each(['fanout orchestrate plans/big.md', 'node dist/cli.mjs orchestrate plans/big.md --json'])('%s with a parallel plan is allowed', (command) => assertAllowed(command, parallel));
  it.each(['fanout orchestrate --help', 'fanout orchestrate --dry-run plans/small.md', 'fanout plan plans/small.md', 'fanout status', 'fanout resume run-1', 'fanout orchestrate'])('%s is allowed', (command) =>
    assertAllowed(command, small),
  );
  it('passes the shell working directory to the sizer', () => {
    let seen = '';
    bash('cd plans && fanout orchestrate small.md', { context: context({ sizePlan: (plan, cwd) => ((seen = `${cwd}|${plan}`), undefined) }) });
    expect(seen).toBe('/home/dev/proj/plans|small.md');
  });
  it('without a sizer (e.g. no plan module) the call is allowed', () => assertAllowed('fanout orchestrate plans/x.md'));
});

describe('parallel claude -p agents from the shell', () => {
  it.each([
    'claude -p "a" & claude -p "b" &',
    'claude -p "a" & claude -p "b"; wait',
    'claude -p task1 > a.log & claude -p task2 > b.log & wait',
    'for t in a b c; do claude -p "$t" & done; wait',
    'for f in tasks/*.md; do claude -p "$(cat "$f")" & done',
    'while read t; do claude -p "$t" & done < tasks.txt',
    'ls tasks | xargs -P 4 -I{} claude -p "do {}"',
    'cat tasks.txt | xargs -P0 -n1 claude -p',
    'parallel claude -p {} ::: "fix a" "fix b"',
    "parallel -j4 'claude -p {}' ::: a b c",
    'nohup claude -p a & nohup claude -p b &',
    '(claude -p a &) ; (claude -p b &)',
    'timeout 600 claude --print "x" & timeout 600 claude --print "y" &',
    'npx @anthropic-ai/claude-code -p a & npx @anthropic-ai/claude-code -p b &',
  ])('%s → parallel-agents', (command) => assertDenied(command, 'parallel-agents'));

  it('the reason points at /orchestrate and fanout orchestrate', () => {
    const reason = bash('claude -p a & claude -p b &').reason ?? '';
    expect(reason).toContain('/orchestrate');
    expect(reason).toContain('fanout orchestrate');
  });

  it.each(['claude -p "summarise the diff"', 'claude -p a && claude -p b', 'claude -p a; claude -p b', 'claude -p "x" &', 'for t in a b; do claude -p "$t"; done', 'claude --version & claude --help &', 'claude mcp list', 'claude', 'echo "claude -p a & claude -p b &"'])(
    '%s is allowed',
    (command) => assertAllowed(command),
  );

  it('an active parallel plan allows parallel agents', () => {
    assertAllowed('claude -p a & claude -p b &', { context: context({ activePlanDecision: () => 'parallel' }) });
    assertDenied('claude -p a & claude -p b &', 'parallel-agents', { context: context({ activePlanDecision: () => 'direct' }) });
  });
});

// The model can run /orchestrate itself through the Skill tool; no prompt hook fires then.
describe('Skill: /orchestrate run by the model', () => {
  const small = { context: context({ sizePlan: sizing('direct') }) };
  const parallel = { context: context({ sizePlan: sizing('parallel') }) };
  const broken = { context: context({ sizePlan: sizing('error') }) };
  it.each(['orchestrate', 'fanout:orchestrate', '/orchestrate'])('%s with a small plan → gate-small-plan', (skill) =>
    expectVerdict(tool('Skill', { skill, args: 'plans/small.md' }, small), 'deny', 'gate-small-plan'),
  );
  it('--force asks, an invalid plan is denied', () => {
    expectVerdict(tool('Skill', { skill: 'orchestrate', args: 'plans/small.md --force' }, small), 'ask', 'gate-forced');
    expectVerdict(tool('Skill', { skill: 'orchestrate', args: 'plans/broken.md' }, broken), 'deny', 'gate-invalid-plan');
  });
  it.each([
    ['a parallel plan', { skill: 'orchestrate', args: 'plans/big.md' }, parallel],
    ['a task description', { skill: 'orchestrate', args: 'add password reset to the auth service' }, small],
    ['another skill naming a plan', { skill: 'review', args: 'plans/small.md' }, small],
    ['no args', { skill: 'fanout:orchestrate' }, small],
  ])('allows %s', (_name, input, options) => expect(tool('Skill', input, options).decision).toBe('allow'));
});
