// Calls that need a person's yes in an orchestrated agent: recorded and denied, let through once approved.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { humanRequest } from '../../../src/hooks/human-requests.js';
import { nodeFs } from '../../../src/util/node-fs.js';
import type { Verdict } from '../../../src/guard/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fanout-requests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ask: Verdict = {
  decision: 'ask',
  ruleId: 'add-dependency',
  reason: 'a stop trigger',
  findings: [{ ruleId: 'add-dependency', severity: 'ask', message: '`npm install left-pad` is a stop trigger', segment: 'npm install left-pad' }],
  warnings: [],
};

function scope(name: string, extra: Record<string, unknown>): string {
  const file = join(dir, `${name}.scope.json`);
  writeFileSync(file, JSON.stringify({ root: dir, files: ['a.ts'], ...extra }));
  return file;
}

describe('humanRequest', () => {
  it('records the request (rule, tool, subject, reason) and denies, telling the agent to finish without it', async () => {
    const requests = join(dir, 'a.requests.jsonl');
    const out = await humanRequest(nodeFs, scope('a', { requests }), 'Bash', ask);
    expect(out).toMatchObject({ decision: 'deny', ruleId: 'add-dependency' });
    const reason = typeof out === 'object' ? out.reason : '';
    expect(reason).toContain('[fanout:add-dependency]');
    expect(reason).toContain('Do not try another way around it');
    expect(JSON.parse(readFileSync(requests, 'utf8').trim())).toMatchObject({ ruleId: 'add-dependency', tool: 'Bash', subject: 'npm install left-pad', reason: '`npm install left-pad` is a stop trigger' });
  });

  it('lets exactly the approved request through, not another command under the same rule', async () => {
    const requests = join(dir, 'b.requests.jsonl');
    const file = scope('b', { requests, approved: [{ ruleId: 'add-dependency', subject: 'npm install left-pad' }] });
    expect(await humanRequest(nodeFs, file, 'Bash', ask)).toBe('approved');
    const other: Verdict = { ...ask, findings: [{ ...ask.findings[0]!, segment: 'npm install is-odd' }] };
    expect(await humanRequest(nodeFs, file, 'Bash', other)).toMatchObject({ decision: 'deny' });
  });

  it('leaves older scope files (no place for requests) to the plain ask', async () => {
    expect(await humanRequest(nodeFs, scope('c', {}), 'Bash', ask)).toBeUndefined();
  });
});
