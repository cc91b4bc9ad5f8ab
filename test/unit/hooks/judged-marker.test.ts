// The marker the hooks module writes for the plugin's command hook: which ids it keeps, and the sweep of old sessions.
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isMarkableId, JUDGED_KEEP, JUDGED_RETENTION_MS, judgedMarkerPath, nextJudged, sweepJudgedMarkers } from '../../../src/hooks/judged-marker.js';
import { nodeFs } from '../../../src/util/node-fs.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('judged marker', () => {
  it('keeps the newest ids first, each once, at most JUDGED_KEEP', () => {
    let ids: string[] = [];
    for (let i = 0; i < JUDGED_KEEP + 4; i++) ids = nextJudged(ids, `toolu_${i}`);
    expect(ids).toHaveLength(JUDGED_KEEP);
    expect(ids[0]).toBe(`toolu_${JUDGED_KEEP + 3}`);
    expect(nextJudged(['toolu_a', 'toolu_b'], 'toolu_b')).toEqual(['toolu_b', 'toolu_a']);
  });

  it('names ids and session files only by the characters the shell side accepts', () => {
    expect(isMarkableId('toolu_01AbC-9')).toBe(true);
    for (const bad of ['', '*', '../x', 'a b', 'toolu_"x"', 'x'.repeat(201)]) expect(isMarkableId(bad), bad).toBe(false);
    expect(judgedMarkerPath('/data/fanout-inline/', 'sid')).toBe('/data/fanout-inline/judged/sid');
  });

  it('sweeps the markers of sessions idle for a day, never the current one or a recent one', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-judged-')));
    mkdirSync(join(dir, 'judged'));
    for (const name of ['old', 'current', 'recent', 'old-too']) writeFileSync(join(dir, 'judged', name), 'toolu_x\n');
    const dayAgo = (Date.now() - JUDGED_RETENTION_MS - 60_000) / 1000;
    for (const name of ['old', 'current', 'old-too']) utimesSync(join(dir, 'judged', name), dayAgo, dayAgo);
    expect(await sweepJudgedMarkers(nodeFs, dir, { keep: 'current', now: Date.now() })).toBe(2);
    expect(readdirSync(join(dir, 'judged')).sort()).toEqual(['current', 'recent']);
    expect(await sweepJudgedMarkers(nodeFs, join(dir, 'missing'), { now: Date.now() })).toBe(0);
  });
});
