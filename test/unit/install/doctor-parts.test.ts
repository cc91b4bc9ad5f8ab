import { describe, expect, it } from 'vitest';
import { defaultConstraints, parseConstraints } from '../../../src/constraints/index.js';
import { enablesFanoutPlugin, fanoutWiring, formatConstraints, mergeSettings, parseVersion, referencedChunks, versionAtLeast, wiringStatus } from '../../../src/install/index.js';

const wiring = fanoutWiring('repo');

describe('versions', () => {
  it.each([
    ['git version 2.39.5', [2, 39, 5]],
    ['git version 2.38.0.windows.1', [2, 38, 0]],
    ['git version 2.40', [2, 40, 0]],
    ['20.20.2', [20, 20, 2]],
  ])('parses %s', (text, expected) => expect(parseVersion(text)).toEqual(expected));

  it('returns undefined for no version', () => expect(parseVersion('command not found')).toBeUndefined());

  it.each([
    [[2, 38, 0], true],
    [[2, 39, 5], true],
    [[3, 0, 0], true],
    [[2, 37, 9], false],
    [[1, 99, 0], false],
  ])('%j at least 2.38: %s', (version, ok) => expect(versionAtLeast(version, [2, 38, 0])).toBe(ok));
});

describe('referencedChunks', () => {
  it('finds every chunk hook.cjs imports, once', () => {
    const source = 'import{a}from"./hook-chunks/chunk-AB12.mjs";const x=()=>import("./hook-chunks/plan-9Z_x.mjs");import"./hook-chunks/chunk-AB12.mjs";';
    expect(referencedChunks(source)).toEqual(['hook-chunks/chunk-AB12.mjs', 'hook-chunks/plan-9Z_x.mjs']);
  });
});

describe('wiringStatus', () => {
  const installed = (mergeSettings({}, wiring) as { settings: Record<string, unknown> }).settings;

  it('reports a fresh install as current on every event', () => {
    expect(wiringStatus(installed, wiring)).toEqual({ current: wiring.map((w) => w.event), outdated: [], missing: [], stray: [] });
  });

  it('reports nothing wired for empty or missing settings', () => {
    expect(wiringStatus(undefined, wiring).missing).toHaveLength(wiring.length);
    expect(wiringStatus({ hooks: 'x' }, wiring).missing).toHaveLength(wiring.length);
  });

  it('tells outdated, missing and stray entries apart', () => {
    const settings = JSON.parse(JSON.stringify(installed)) as { hooks: Record<string, Array<{ hooks: Array<{ timeout: number }> }>> };
    const pre = settings.hooks['PreToolUse']?.[0]?.hooks[0];
    if (pre) pre.timeout = 60;
    delete settings.hooks['SessionStart'];
    settings.hooks['Stop'] = [{ hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs" stop' } as never] }];
    const status = wiringStatus(settings, wiring);
    expect(status.outdated).toEqual(['PreToolUse']);
    expect(status.missing).toEqual(['SessionStart']);
    expect(status.stray).toEqual(['Stop']);
  });
});

describe('enablesFanoutPlugin', () => {
  it.each([
    [{ enabledPlugins: { 'fanout@fanout': true } }, 'fanout@fanout'],
    [{ enabledPlugins: { 'fanout@team-market': true, 'x@y': true } }, 'fanout@team-market'],
    [{ enabledPlugins: { 'fanout@fanout': false } }, undefined],
    [{ enabledPlugins: { 'fanout-extra@m': true } }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('%j → %s', (settings, expected) => expect(enablesFanoutPlugin(settings)).toBe(expected));
});

describe('formatConstraints', () => {
  it('names the defaults as the source and lists every rule', () => {
    const text = formatConstraints(defaultConstraints({ repoRoot: '/repo', tmpdir: undefined }));
    expect(text).toMatch(/^Source: built-in defaults/);
    expect(text).toContain('block  .env: holds secrets');
    expect(text).toContain('.env.* (except .env.example, .env.sample, .env.template)');
    expect(text).toContain('add-dependency: a new dependency is a decision for a human');
    expect(text).toContain('Boundary: /repo');
    expect(text).toContain('≤2 files → build directly');
  });

  it('names the file and shows custom triggers, ports and orchestrate defaults', () => {
    const parsed = parseConstraints(
      '---\nlocked: [{ path: CHANGELOG.md, level: warn, reason: curated }]\nstop_triggers: [{ id: prod-db, command: "psql * prod", reason: production }]\nports: { "5432": postgres }\norchestrate: { validate: npm test }\n---\nBe nice.\n',
      { repoRoot: '/r', source: '/r/.claude/constraints.md' },
    );
    if (!parsed.ok) throw new Error('fixture should parse');
    const text = formatConstraints(parsed.constraints);
    expect(text).toMatch(/^Source: \/r\/\.claude\/constraints\.md/);
    expect(text).toContain('warn   CHANGELOG.md: curated');
    expect(text).toContain('prod-db [command: psql * prod]: production');
    expect(text).toContain('5432 → postgres');
    expect(text).toContain('Orchestrate defaults: validate npm test');
    expect(text).toContain('Prose: 1 lines');
  });
});
