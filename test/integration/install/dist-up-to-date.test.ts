// dist/ and the plugin files are committed: the plugin and every per-repo install run them as is, with no build step.
// This rebuilds the sources in a temp copy with the same build script and requires the committed dist/, plugin/ and
// the root's generated plugin files to be byte-identical. (.ci/run checks the same with `git status` after its build.)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../../src/install/files.js';
import { PLUGIN_DIR } from '../../../src/install/index.js';
import { ROOT, requireBuild } from './helpers.js';

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

describe('dist/ and the plugin files match the sources', { timeout: 120_000 }, () => {
  beforeAll(requireBuild);

  it('a fresh build of src/ gives the committed dist/ byte for byte', () => {
    temp = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-dist-check-')));
    for (const part of ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'LICENSE']) cpSync(join(ROOT, part), join(temp, part), { recursive: true });
    mkdirSync(join(temp, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'build.mjs'), join(temp, 'scripts', 'build.mjs'));
    linkNodeModules(join(temp, 'node_modules'));
    const build = spawnSync(process.execPath, [join(temp, 'scripts', 'build.mjs')], { cwd: temp, encoding: 'utf8', timeout: 60_000 });
    expect(build.status, build.stderr).toBe(0);

    // The root's commands/ and .claude-plugin/ are generated whole; hooks/ may hold more than hooks.json.
    for (const [dir, whole] of [['dist', true], [PLUGIN_DIR, true], ['commands', true], ['.claude-plugin', true], ['hooks', false]] as const) {
      const fresh = join(temp, dir);
      const committed = join(ROOT, dir);
      const expected = listFiles(fresh);
      const stale = `${dir}/ is stale: run \`npm run build\` and commit the result (dist/, .claude/fanout/, ${PLUGIN_DIR}/, hooks/, commands/, .claude-plugin/)`;
      expect(expected.length, `the build wrote nothing to ${dir}/`).toBeGreaterThan(0);
      if (whole) expect(listFiles(committed), stale).toEqual(expected);
      for (const file of expected) {
        expect(existsSync(join(committed, file)), `${stale}: ${dir}/${file} missing`).toBe(true);
        expect(readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file))), `${stale}: ${dir}/${file} differs`).toBe(true);
      }
    }
  });
});
