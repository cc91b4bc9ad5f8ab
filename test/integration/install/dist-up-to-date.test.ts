// dist/ is committed: the plugin and every per-repo install run it as is, with no build step. This rebuilds the
// sources in a temp copy with the same build script and requires the committed files to be byte-identical.
// (.ci/run checks the same with `git diff` after its build.)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../../src/install/files.js';
import { DIST, ROOT, requireBuild } from './helpers.js';

let temp: string | undefined;
afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** node_modules by hard links (instant on one filesystem); esbuild would see a symlink's target path and hash differently. */
function linkNodeModules(to: string): void {
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), to], { encoding: 'utf8' });
  if (linked.status === 0) return;
  rmSync(to, { recursive: true, force: true });
  // Another filesystem: copy what a build can need (the Claude Code binary is 350 MB of nothing the build reads).
  cpSync(join(ROOT, 'node_modules'), to, { recursive: true, filter: (src) => !src.includes(`${join('node_modules', '@anthropic-ai')}`) });
}

describe('dist/ matches the sources', { timeout: 120_000 }, () => {
  beforeAll(requireBuild);

  it('a fresh build of src/ gives the committed dist/ byte for byte', () => {
    temp = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-dist-check-')));
    for (const part of ['src', 'package.json', 'package-lock.json', 'tsconfig.json']) cpSync(join(ROOT, part), join(temp, part), { recursive: true });
    mkdirSync(join(temp, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'build.mjs'), join(temp, 'scripts', 'build.mjs'));
    linkNodeModules(join(temp, 'node_modules'));
    const build = spawnSync(process.execPath, [join(temp, 'scripts', 'build.mjs')], { cwd: temp, encoding: 'utf8', timeout: 60_000 });
    expect(build.status, build.stderr).toBe(0);

    const fresh = join(temp, 'dist');
    const expected = listFiles(fresh);
    const stale = 'dist/ is stale: run `npm run build` and commit dist/ (and .claude/fanout/)';
    expect(listFiles(DIST), stale).toEqual(expected);
    for (const file of expected) {
      expect(existsSync(join(DIST, file)), `${stale}: dist/${file} missing`).toBe(true);
      expect(readFileSync(join(DIST, file)).equals(readFileSync(join(fresh, file))), `${stale}: dist/${file} differs`).toBe(true);
    }
  });
});
