// The plan a command names, sized the same way for the hook and `fanout check`.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sizePlanFile } from '../../../src/plan/index.js';
import { nodeFs } from '../../../src/util/node-fs.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

const fixtures = join(import.meta.dirname, '../../fixtures/plans');
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('sizePlanFile', () => {
  it('sizes a plan relative to the command cwd or by absolute path, with the given thresholds', async () => {
    repo = tempRepo();
    copyFileSync(join(fixtures, 'twelve-files.md'), join(repo.dir, 'big.md'));
    expect(await sizePlanFile('big.md', repo.dir, {}, nodeFs)).toMatchObject({ decision: 'parallel', reason: expect.stringContaining('12 files') });
    expect(await sizePlanFile(join(repo.dir, 'big.md'), '/', { sequentialMax: 20 }, nodeFs)).toMatchObject({ decision: 'sequential' });
  });

  it('says why a plan cannot be sized: unreadable, or invalid with file:line', async () => {
    repo = tempRepo();
    expect(await sizePlanFile('missing.md', repo.dir, {}, nodeFs)).toEqual({ error: 'cannot read plan missing.md (ENOENT)' });
    writeFileSync(join(repo.dir, 'bad.md'), '---\ntitle: x\ntasks:\n  - id: a\n    files: []\n---\n');
    expect(await sizePlanFile('bad.md', repo.dir, {}, nodeFs)).toEqual({ error: expect.stringMatching(/^bad\.md:5: tasks\[0\] \(a\)\.files: task .a. lists no files/) });
  });
});
