import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKED, DEFAULT_STOP_TRIGGERS } from '../../src/constraints/defaults.js';
import { formatConstraintsIssues, parseConstraints } from '../../src/constraints/parse-constraints.js';
import { defaultConstraints } from '../../src/constraints/resolve-constraints.js';

const context = { repoRoot: '/repo', source: '.claude/constraints.md' };

function issuesOf(text: string) {
  const result = parseConstraints(text, context);
  if (result.ok) throw new Error('expected the file to be rejected');
  return formatConstraintsIssues('.claude/constraints.md', result.issues);
}

describe('parseConstraints', () => {
  it('gives the defaults for a file without front matter, and keeps the prose', () => {
    const result = parseConstraints('Be careful with billing.\n', context);
    expect(result.ok && result.constraints.locked).toEqual(DEFAULT_LOCKED);
    expect(result.ok && result.constraints.stopTriggers).toEqual(DEFAULT_STOP_TRIGGERS);
    expect(result.ok && result.constraints.prose).toBe('Be careful with billing.');
    expect(result.ok && result.constraints.boundary).toBe('/repo');
  });

  it('equals the built-in defaults when the front matter is empty', () => {
    const result = parseConstraints('---\n---\n', context);
    expect(result.ok && { ...result.constraints, source: 'defaults' }).toEqual(defaultConstraints({ repoRoot: '/repo' }));
  });

  it('resolves every field', () => {
    const text = [
      '---',
      'locked:',
      '  - { path: "db/schema.sql", level: ask, reason: owned by the DBA }',
      'stop_triggers:',
      '  - { id: prod-db, command: "psql * prod", reason: production }',
      'boundary: packages/app',
      'temp_roots: [/scratch]',
      'ports: { "5432": postgres }',
      'gate: { direct_max: 1, sequential_max: 5, max_agents: 2, parallel_writers: ask }',
      'orchestrate: { validate: npm test, timeout: 5m }',
      '---',
      'Prose.',
    ].join('\n');
    const result = parseConstraints(text, { ...context, tmpdir: '/tmp/user/' });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.constraints).toMatchObject({
      locked: [{ path: 'db/schema.sql', level: 'ask' }],
      stopTriggers: [{ id: 'prod-db', command: 'psql * prod' }],
      boundary: '/repo/packages/app',
      tempRoots: ['/tmp', '/var/tmp', '/tmp/user', '/scratch'],
      ports: { 5432: 'postgres' },
      gate: { directMax: 1, sequentialMax: 5, maxAgents: 2, subagentWorktree: 'ask', parallelWriters: 'ask' },
      orchestrate: { validate: 'npm test', timeout: '5m' },
    });
    expect(defaultConstraints({ repoRoot: '/repo' }).gate.parallelWriters, 'default').toBe('deny');
  });

  it.each([
    ['a bad lock level', '---\nlocked:\n  - path: .env\n    level: forbid\n    reason: x\n---\n', ':4: locked[0].level: expected one of "block", "ask", "warn"'],
    ['an unknown field', '---\nlockd: []\n---\n', ":2: lockd: unknown field 'lockd'"],
    ['broken YAML', '---\nlocked: [\n---\n', 'invalid YAML'],
    ['unclosed front matter', '---\nlocked: []\n', "never closed"],
    ['a lock without a reason', '---\nlocked:\n  - { path: .env, level: block }\n---\n', 'locked[0].reason'],
    ['an unknown trigger without a command', '---\nstop_triggers:\n  - id: nuke\n---\n', "'nuke' is not a built-in trigger"],
    ['a port out of range', '---\nports: { "70000": x }\n---\n', 'ports.70000: ports are numbers from 1 to 65535'],
    ['a list as front matter', '---\n- a\n---\n', 'must be a YAML mapping'],
    ['a CRLF file', '---\r\nlocked:\r\n  - path: .env\r\n    level: forbid\r\n    reason: x\r\n---\r\n', ':4: locked[0].level'],
    [
      'the second lock after a nested except list',
      '---\nlocked:\n  - path: .env.*\n    level: block\n    reason: x\n    except:\n      - .env.example\n  - path: yarn.lock\n    level: nope\n    reason: y\n---\n',
      ':9: locked[1].level',
    ],
  ])('rejects %s with file, line, field and fix', (_name, text, expected) => {
    expect(issuesOf(text)).toContain(expected);
  });
});
