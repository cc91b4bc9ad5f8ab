import { describe, expect, it } from 'vitest';
import { fanoutWiring, isFanoutHookCommand, mergeSettings, unmergeSettings, type JsonObject, type MergeResult } from '../../../src/install/index.js';

const wiring = fanoutWiring('repo');
const EVENTS = ['PreToolUse', 'SessionStart', 'UserPromptSubmit', 'UserPromptExpansion', 'SubagentStart', 'SubagentStop'];

function merged(existing: unknown): Extract<MergeResult, { ok: true }> {
  const result = mergeSettings(existing, wiring);
  if (!result.ok) throw new Error(`merge failed: ${result.issue.message}`);
  return result;
}

function unmerged(settings: unknown, added?: { hooksKey: boolean; events: string[] }): JsonObject {
  const result = unmergeSettings(settings, wiring, added);
  if (!result.ok) throw new Error(`unmerge failed: ${result.issue.message}`);
  return result.settings;
}

/** A deep copy, so that a test can tell whether the input was mutated. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const userHook = { type: 'command', command: 'npx prettier --write "$CLAUDE_FILE"', timeout: 30 };
const rich = {
  $schema: 'https://json.schemastore.org/claude-code-settings.json',
  model: 'opus',
  env: { FOO: 'bar', NODE_OPTIONS: '--max-old-space-size=4096' },
  permissions: { allow: ['Bash(npm test:*)', 'Read(**)'], deny: ['Bash(curl:*)'], ask: [], defaultMode: 'acceptEdits' },
  hooks: {
    PreToolUse: [
      { matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/audit-bash', timeout: 5 }] },
      { matcher: 'Write|Edit', hooks: [userHook] },
    ],
    Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
  },
  enabledPlugins: { 'other@market': true },
  statusLine: { type: 'command', command: 'echo hi' },
};

describe('mergeSettings', () => {
  it('adds one group per event to empty settings, after the existing keys', () => {
    const result = merged({});
    expect(result.changed).toBe(true);
    expect(Object.keys(result.settings)).toEqual(['hooks']);
    const hooks = result.settings['hooks'] as Record<string, unknown[]>;
    expect(Object.keys(hooks)).toEqual(EVENTS);
    expect(hooks['PreToolUse']).toEqual([
      {
        matcher: '^(Bash|Write|Edit|MultiEdit|NotebookEdit|Agent|Task|Skill|mcp__.+)$',
        hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" pre-tool-use', timeout: 10, onFailure: 'block' }],
      },
    ]);
    expect(hooks['SessionStart']).toEqual([{ hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" session-start', timeout: 10 }] }]);
    expect(hooks['UserPromptSubmit']).toEqual([
      { hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" user-prompt-submit', timeout: 10, onFailure: 'block' }] },
    ]);
    expect(result.added).toEqual({ hooksKey: true, events: EVENTS });
  });

  it('treats a missing file like empty settings', () => {
    expect(merged(undefined).settings).toEqual(merged({}).settings);
  });

  it('keeps rich settings exactly: other keys, their order, permissions, env, other hooks (ours go last)', () => {
    const before = copy(rich);
    const result = merged(rich);
    expect(rich, 'the input is not mutated').toEqual(before);
    const out = result.settings;
    expect(Object.keys(out)).toEqual(Object.keys(rich));
    for (const key of Object.keys(rich)) if (key !== 'hooks') expect(out[key]).toEqual((rich as JsonObject)[key]);
    const hooks = out['hooks'] as Record<string, unknown[]>;
    expect(Object.keys(hooks)).toEqual(['PreToolUse', 'Stop', 'SessionStart', 'UserPromptSubmit', 'UserPromptExpansion', 'SubagentStart', 'SubagentStop']);
    expect(hooks['PreToolUse']?.slice(0, 2)).toEqual(rich.hooks.PreToolUse);
    expect(hooks['PreToolUse']).toHaveLength(3);
    expect(hooks['Stop']).toEqual(rich.hooks.Stop);
    expect(result.added).toEqual({ hooksKey: false, events: ['SessionStart', 'UserPromptSubmit', 'UserPromptExpansion', 'SubagentStart', 'SubagentStop'] });
  });

  it('is idempotent: merging merged settings changes nothing and returns the same object', () => {
    for (const start of [undefined, {}, rich, { hooks: {} }, { hooks: { PreToolUse: [] } }]) {
      const once = merged(start).settings;
      const twice = merged(once);
      expect(twice.changed).toBe(false);
      expect(twice.settings).toBe(once);
      expect(twice.added).toEqual({ hooksKey: false, events: [] });
    }
  });

  it('replaces an older fanout entry in place instead of adding a second one', () => {
    const old = {
      hooks: {
        PreToolUse: [
          { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo first' }] },
          { matcher: '*', hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" pre-tool-use', timeout: 30 }] },
          { matcher: 'Write', hooks: [{ type: 'command', command: 'echo last' }] },
        ],
        // Events an old version wired and this one does not: only fanout's entries were in them.
        Stop: [{ hooks: [{ type: 'command', command: 'node .claude/fanout/cli.mjs hook stop' }] }],
        PostToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" post-tool-use', timeout: 10 }] }],
      },
    };
    const result = merged(old);
    const pre = (result.settings['hooks'] as Record<string, unknown[]>)['PreToolUse'];
    expect(pre).toHaveLength(3);
    expect(pre?.[0]).toEqual(old.hooks.PreToolUse[0]);
    expect(pre?.[1]).toEqual(wiring[0]?.group);
    expect(pre?.[2]).toEqual(old.hooks.PreToolUse[2]);
    expect(result.settings['hooks']).not.toHaveProperty('Stop');
    expect(result.settings['hooks']).not.toHaveProperty('PostToolUse');
    expect(merged(result.settings).changed).toBe(false);
  });

  it('takes fanout entries out of a group shared with the user\'s hooks and keeps theirs', () => {
    const shared = {
      hooks: {
        PreToolUse: [
          {
            matcher: 'Bash',
            hooks: [
              { type: 'command', command: 'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" pre-tool-use' },
              { type: 'command', command: 'mine' },
            ],
          },
        ],
      },
    };
    const pre = (merged(shared).settings['hooks'] as Record<string, unknown[]>)['PreToolUse'];
    expect(pre).toEqual([{ matcher: 'Bash', hooks: [{ type: 'command', command: 'mine' }] }, wiring[0]?.group]);
  });

  it('removes duplicate fanout groups', () => {
    const group = wiring[0]?.group;
    const dup = { hooks: { PreToolUse: [group, { matcher: 'Bash', hooks: [{ type: 'command', command: 'x' }] }, group] } };
    const result = merged(dup);
    expect(result.changed).toBe(true);
    expect((result.settings['hooks'] as Record<string, unknown[]>)['PreToolUse']).toEqual([group, dup.hooks.PreToolUse[1]]);
  });

  it('leaves foreign shapes it does not need alone (a non-array event it does not wire, odd groups)', () => {
    const odd = { hooks: { Notification: 'not-a-list', PreToolUse: ['a string group', { matcher: 'x' }] } };
    const result = merged(odd);
    const hooks = result.settings['hooks'] as Record<string, unknown>;
    expect(hooks['Notification']).toBe('not-a-list');
    expect((hooks['PreToolUse'] as unknown[]).slice(0, 2)).toEqual(['a string group', { matcher: 'x' }]);
  });

  it.each([
    ['an array', [1, 2], 'settings-not-object', ''],
    ['a string', 'hello', 'settings-not-object', ''],
    ['null', null, 'settings-not-object', ''],
    ['hooks as an array', { hooks: [] }, 'hooks-not-object', 'hooks'],
    ['hooks as a string', { hooks: 'x' }, 'hooks-not-object', 'hooks'],
    ['a wired event as an object', { hooks: { PreToolUse: { matcher: 'Bash' } } }, 'hooks-event-not-array', 'hooks.PreToolUse'],
  ])('refuses settings that are %s, with the field and a hint', (_name, value, code, field) => {
    const result = mergeSettings(value, wiring);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue.code).toBe(code);
    expect(result.issue.field).toBe(field);
    expect(result.issue.hint).not.toBe('');
  });

  it('keeps a "__proto__" key as data', () => {
    const withProto = JSON.parse('{"__proto__": {"polluted": true}, "model": "x"}') as unknown;
    const out = merged(withProto).settings;
    expect(Object.keys(out)).toEqual(['__proto__', 'model', 'hooks']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.stringify(out)).toContain('"__proto__":{"polluted":true}');
  });
});

describe('unmergeSettings', () => {
  const starts: Array<[string, unknown]> = [
    ['empty settings', {}],
    ['rich settings', rich],
    ['an empty hooks object', { hooks: {} }],
    ['an empty PreToolUse list', { model: 'x', hooks: { PreToolUse: [] } }],
    ['only other events', { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] } }],
  ];

  it.each(starts)('round trip with the merge record gives JSON-equal settings (%s)', (_name, start) => {
    const result = merged(start);
    expect(unmerged(result.settings, result.added)).toEqual(start);
  });

  it('round trip from no file gives an empty object (the caller removes the file)', () => {
    const result = merged(undefined);
    expect(unmerged(result.settings, result.added)).toEqual({});
  });

  it('round trip survives a re-merge (the second merge adds nothing new to the record)', () => {
    const first = merged(rich);
    const second = merged(first.settings);
    expect(unmerged(second.settings, first.added)).toEqual(rich);
  });

  it('keeps what the user added after init, also inside events fanout created', () => {
    const first = merged({ model: 'x' });
    const edited = copy(first.settings);
    (edited['hooks'] as Record<string, unknown[]>)['SessionStart']?.push({ hooks: [{ type: 'command', command: 'mine' }] });
    edited['permissions'] = { allow: ['Bash(ls:*)'] };
    expect(unmerged(edited, first.added)).toEqual({ model: 'x', hooks: { SessionStart: [{ hooks: [{ type: 'command', command: 'mine' }] }] }, permissions: { allow: ['Bash(ls:*)'] } });
  });

  it('without a record, drops the containers that held only fanout entries', () => {
    expect(unmerged(merged({ model: 'x' }).settings)).toEqual({ model: 'x' });
    expect(unmerged(merged(rich).settings)).toEqual(rich);
  });

  it('reports no change when there is nothing of fanout', () => {
    const result = unmergeSettings(rich, wiring);
    expect(result.ok && result.changed).toBe(false);
    expect(result.ok && result.settings).toBe(rich);
  });
});

describe('isFanoutHookCommand', () => {
  it.each([
    'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" pre-tool-use',
    'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" pre-tool-use',
    'node "${CLAUDE_PROJECT_DIR}/.claude/fanout/hook.cjs" session-start',
    'node .claude/fanout/hook.cjs post-tool-use',
    "node '/home/me/repo/.claude/fanout/hook.cjs' user-prompt-submit",
    'node "$CLAUDE_PROJECT_DIR/.claude/fanout/cli.mjs" hook pre-tool-use',
  ])('recognises %s', (command) => expect(isFanoutHookCommand(command)).toBe(true));

  it.each([
    'node "${CLAUDE_PLUGIN_ROOT}/dist/hook.cjs" pre-tool-use',
    'node "${CLAUDE_PLUGIN_ROOT}/dist/hook.cjs" pre-tool-use',
    'node /opt/other/.claude/fanout-ish/hook.cjs x',
    'node "$CLAUDE_PROJECT_DIR/.claude/fanout/cli.mjs" plan x.md',
    'echo .claude/fanout/hook.cjsx',
    'node .claude/fanout/hook.js pre-tool-use',
    'my-hook',
  ])('leaves %s alone', (command) => expect(isFanoutHookCommand(command)).toBe(false));
});
