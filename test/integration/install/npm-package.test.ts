// The npm package as a user gets it: `npm pack`, then a global install of the tarball into a fresh prefix with no
// registry (`--offline`: the bundles are self-contained, so there is nothing to fetch), then the installed `fanout`
// on a scratch repo: --version, init, doctor, and the hook it installed, called with JSON on stdin.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../../src/install/files.js';
import { COMMAND_NAMES } from '../../../src/install/index.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { DIST, ROOT, requireBuild, runHookBundle } from './helpers.js';

const MAX_INSTALLED_BYTES = 2 * 1024 * 1024;

let temp: string | undefined;
let repo: TempRepo | undefined;
afterAll(() => {
  repo?.cleanup();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
  bundled: string[];
}

/** npm with its cache, config and logs in the temp dir, nothing from this machine's ~/.npmrc. */
function npm(args: string[], cwd: string) {
  const env = {
    PATH: [dirname(process.execPath), process.env['PATH'] ?? '/usr/bin:/bin'].join(delimiter),
    HOME: join(temp ?? '', 'home'),
    npm_config_cache: join(temp ?? '', 'npm-cache'),
    npm_config_userconfig: join(temp ?? '', 'npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

function installedSize(dir: string): number {
  return listFiles(dir).reduce((sum, file) => sum + readFileSync(join(dir, file)).length, 0);
}

describe('the npm package', { timeout: 180_000 }, () => {
  beforeAll(requireBuild);

  it('packs only what runs, installs offline with no dependencies, and its fanout installs a working hook', () => {
    temp = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-npm-')));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

    const pack = npm(['pack', '--json', '--pack-destination', temp], ROOT);
    expect(pack.code, `${pack.stderr}${pack.error ?? ''}`).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as PackResult[];
    if (!packed) throw new Error(`npm pack printed no result: ${pack.stdout}`);
    const expected = [
      'package.json',
      'README.md',
      'LICENSE',
      '.claude-plugin/plugin.json',
      'hooks/hooks.json',
      ...COMMAND_NAMES.map((name) => `commands/${name}.md`),
      ...listFiles(DIST).map((file) => `dist/${file}`),
    ];
    expect(packed.files.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(packed.bundled).toEqual([]);

    const prefix = join(temp, 'prefix');
    const install = npm(['install', '--global', '--offline', '--prefix', prefix, join(temp, packed.filename)], temp);
    expect(install.code, install.stderr).toBe(0);
    const installed = join(prefix, 'lib', 'node_modules', 'fanout');
    expect(existsSync(join(installed, 'node_modules')), 'the package pulled dependencies').toBe(false);
    expect(listFiles(installed).sort()).toEqual(expected.sort());
    const bytes = installedSize(installed);
    expect(bytes, `installed: ${bytes} bytes`).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);

    // The bin as npm linked it, found on PATH the way a user's shell finds it.
    const env = { PATH: [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), HOME: join(temp, 'home') };
    const fanout = (args: string[], cwd: string) => spawnSync('fanout', args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
    const version = fanout(['--version'], temp);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toContain(pkg.version);

    repo = tempRepo({ 'README.md': '# scratch\n' });
    const init = fanout(['init'], repo.dir);
    expect(init.status, `${init.stdout}${init.stderr}`).toBe(0);
    const doctor = fanout(['doctor'], repo.dir);
    expect(doctor.status, `${doctor.stdout}${doctor.stderr}`).toBe(0);

    // The hook init installed, called as Claude Code calls it: JSON on stdin, the project dir in the environment.
    const hook = join(repo.dir, '.claude', 'fanout', 'hook.cjs');
    const call = (command: string) =>
      runHookBundle(hook, 'pre-tool-use', { session_id: 's', cwd: repo?.dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } }, { cwd: repo?.dir ?? temp ?? '', env: { CLAUDE_PROJECT_DIR: repo?.dir ?? '', HOME: env.HOME } });
    const benign = call('git status');
    expect(benign, benign.stderr).toEqual({ code: 0, stdout: '', stderr: '' });
    const dangerous = call('rm -rf ~');
    expect(dangerous.code, dangerous.stderr).toBe(0);
    expect(JSON.parse(dangerous.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: expect.stringMatching(/^\[fanout:[a-z0-9-]+\] /) } });
  });
});
