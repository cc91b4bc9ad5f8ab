// fanout installed the way a user installs the plugin, with the real Claude Code CLI and a fresh HOME and config dir:
// `claude plugin marketplace add <git URL | local path>`, `claude plugin install fanout@fanout`, then a real
// `claude -p` session whose dangerous Bash call the installed plugin denies. The marketplace is a snapshot of this
// repository as its next commit (what a clone gets); the git URL is served over smart HTTP on 127.0.0.1 (the CLI
// refuses file:// URLs and dumb HTTP, spec §6.4b). A git source runs the plugin from the cache, a local path from
// its own folder; either way the install must copy plugin/ only: no node_modules, no npm ci, megabytes not hundreds.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../src/install/files.js';
import { PLUGIN_DIR } from '../../src/install/index.js';
import { cleanupE2E, track } from './harness/cleanup.js';
import { findToolResult, requestWithResult, startFakeApi, toolResultText } from './harness/fake-api.js';
import { requireHookBundle } from './harness/fanout-hooks.js';
import { startGitHttpServer } from './harness/git-http-server.mjs';
import { findDirs, installPath, publishBare, runClaudeCli, snapshotRepo, treeSize, type CliRun } from './harness/plugin-market.mjs';
import { describeRun, FANOUT_ROOT, makeGitRepo, runClaude, tempDir } from './harness/run-claude.js';

beforeAll(requireHookBundle);
afterEach(cleanupE2E);

const MAX_CACHE_BYTES = 5 * 1024 * 1024;
// Not toolu_plugin_…: Claude Code keeps that prefix for its own calls and refuses to run a model's call with it.
const RM = 'toolu_market_rm_home';
const STATUS = 'toolu_market_git_status';
/** A deny from fanout's hooks module as the model reads it: the tool's error, rule id in brackets, then the reason. */
const FANOUT_DENY = /^<tool_use_error>\[fanout:([a-z0-9-]+)\] \S/;
/** Rule ids that mean the hook failed rather than judged the call. */
const FAILURE_RULES = ['malformed-input', 'constraints-invalid', 'guard'];

const cli = (run: CliRun) => `exit=${run.code} timedOut=${run.timedOut} wall=${run.wallMs}ms\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;

/** The files of plugin/ as this checkout has them: what the installed copy must hold, no more. */
const pluginFilesOnDisk = () => listFiles(join(FANOUT_ROOT, PLUGIN_DIR));

/**
 * Adds the marketplace and installs fanout@fanout in a fresh HOME, then checks the installed copy: plugin/'s files
 * byte for byte, no node_modules, no npm cache, a few megabytes. Returns the HOME and the copy's path.
 */
async function install(source: string, project: string, scope: 'user' | 'project'): Promise<{ home: string; copy: string }> {
  const home = tempDir('fanout-e2e-plugin-home-');
  const add = await runClaudeCli(['plugin', 'marketplace', 'add', source], { cwd: project, home });
  expect(add.code, cli(add)).toBe(0);
  const installed = await runClaudeCli(['plugin', 'install', 'fanout@fanout', '--scope', scope], { cwd: project, home });
  expect(installed.code, cli(installed)).toBe(0);

  const copy = installPath(home);
  expect(copy.startsWith(join(home, '.claude', 'plugins', 'cache', 'fanout', 'fanout') + '/'), copy).toBe(true);
  expect(findDirs(copy, 'node_modules'), 'the install ran a package manager').toEqual([]);
  expect(existsSync(join(home, '.npm')), 'the install filled an npm cache').toBe(false);
  // Claude Code keeps its own bookkeeping (.in_use/) beside the copied files.
  expect(listFiles(copy).filter((f) => !f.startsWith('.in_use/'))).toEqual(pluginFilesOnDisk());
  for (const file of pluginFilesOnDisk()) expect(readFileSync(join(copy, file)).equals(readFileSync(join(FANOUT_ROOT, PLUGIN_DIR, file))), file).toBe(true);
  const size = treeSize(copy).bytes;
  expect(size, `installed copy: ${size} bytes`).toBeLessThanOrEqual(MAX_CACHE_BYTES);
  return { home, copy };
}

/**
 * A session in `project` with the plugin enabled: the installed hooks module denies `rm -rf ~/precious` before it
 * runs, and lets `git status` run, whose PreToolUse command hook (the backstop) the CLI's debug log must show
 * running from `pluginRoot`.
 */
async function expectDangerousCallDenied(project: string, home: string, pluginRoot: string): Promise<void> {
  mkdirSync(join(home, 'precious'), { recursive: true });
  writeFileSync(join(home, 'precious', 'file.txt'), 'keep me\n');
  const debugFile = join(home, 'debug.log');
  const api = await startFakeApi([
    { toolUses: [{ id: RM, name: 'Bash', input: { command: 'rm -rf ~/precious', description: 'Remove the old data' } }] },
    { when: (r) => findToolResult(r, RM) !== undefined, toolUses: [{ id: STATUS, name: 'Bash', input: { command: 'git status', description: 'Status' } }] },
    { when: (r) => findToolResult(r, STATUS) !== undefined, text: 'plugin-run-finished' },
  ]);
  const run = await runClaude({ cwd: project, home, prompt: 'tidy up', api, allowedTools: ['Bash'], extraArgs: ['--debug-file', debugFile], timeoutMs: 120_000 });
  expect(run.exitCode, describeRun(run)).toBe(0);
  expect(api.unconsumed(), describeRun(run)).toEqual([]);
  expect(readFileSync(join(home, 'precious', 'file.txt'), 'utf8')).toBe('keep me\n');
  const next = requestWithResult(run.requests, RM);
  const block = next ? findToolResult(next, RM) : undefined;
  const text = toolResultText(block ?? { type: 'none' });
  const rule = FANOUT_DENY.exec(text)?.[1];
  expect(rule, text).toBeDefined();
  expect(FAILURE_RULES).not.toContain(rule);
  expect(block?.['is_error']).toBe(true);
  const status = requestWithResult(run.requests, STATUS);
  expect(toolResultText((status && findToolResult(status, STATUS)) ?? { type: 'none' })).toContain('On branch');
  const debug = existsSync(debugFile) ? readFileSync(debugFile, 'utf8') : '';
  expect(debug, `the plugin's hooks module did not load (${debugFile})`).toMatch(/hooks module fanout@fanout loaded/);
  expect(debug, `no PreToolUse run of the plugin's hook in ${debugFile}`).toContain(`PreToolUse:Bash [bash ${pluginRoot}/dist/plugin/pre-tool-use.sh] (plugin fanout@fanout) finished with status 0`);
}

describe('the plugin installed from a marketplace, as a user installs it', { timeout: 180_000 }, () => {
  it('from a git URL: plugin/ alone lands in the cache, and its hook denies from there', async () => {
    const snapshot = snapshotRepo(tempDir('fanout-e2e-market-'));
    const served = tempDir('fanout-e2e-git-');
    publishBare(snapshot, served, 'fanout');
    const server = await startGitHttpServer({ projectRoot: served });
    track(() => server.stop());
    const project = makeGitRepo().dir;

    const { home, copy } = await install(`${server.url}/fanout.git`, project, 'user');
    expect(server.requests.some((r) => r.path.endsWith('/git-upload-pack')), 'the CLI cloned over smart HTTP').toBe(true);
    await expectDangerousCallDenied(project, home, copy);
  });

  it('from a local path (a clone), for one project: plugin/ is what it copies and what runs', async () => {
    const clone = snapshotRepo(tempDir('fanout-e2e-market-'));
    const project = makeGitRepo().dir;

    const { home } = await install(clone, project, 'project');
    expect(JSON.parse(readFileSync(join(project, '.claude', 'settings.json'), 'utf8'))).toEqual({ enabledPlugins: { 'fanout@fanout': true } });
    // A local marketplace runs the plugin from its own folder, not from the cache copy (spec §6.4b).
    await expectDangerousCallDenied(project, home, join(clone, PLUGIN_DIR));
  });
});
