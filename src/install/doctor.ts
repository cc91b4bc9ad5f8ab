// `fanout doctor`: checks what fanout needs (node, git), how the repo wires it, the copied bundle, the constraints
// file, and one dry call of the installed hook; every problem comes with how to fix it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadConstraints } from '../constraints/read-constraints.js';
import { isFanoutError } from '../util/errors.js';
import { listFiles } from './files.js';
import { describeGuardPath, lastModuleSession } from './guard-path.js';
import { perRepoFiles } from './locate-dist.js';
import { BUNDLE_DIR, readInstallRecord } from './init.js';
import { PROJECT_SETTINGS, readSettingsFile } from './settings-file.js';
import { FANOUT_VERSION } from './version.js';
import { enablesFanoutPlugin, wiringStatus } from './wiring-status.js';
import { fanoutWiring } from './wiring.js';

export type CheckLevel = 'ok' | 'warn' | 'problem';

export interface DoctorCheck {
  /** Stable id: node, git, repo, wiring, guard-path (plugin), bundle, constraints, dry-run. */
  id: string;
  level: CheckLevel;
  summary: string;
  /** More lines (e.g. the constraints file's errors). */
  detail?: string;
  fix?: string;
}

export interface DoctorOptions {
  root: string;
  /** The running CLI's build (to compare the installed copy with); undefined when unknown. */
  distDir: string | undefined;
  env: NodeJS.ProcessEnv;
  /** For tests: the node version to judge. */
  nodeVersion?: string;
}

export const MIN_NODE = [20, 0, 0] as const;
/** `git merge-tree --write-tree` (predicting merges without touching a work tree) arrived in 2.38. */
export const MIN_GIT = [2, 38, 0] as const;

const check = (id: string, level: CheckLevel, summary: string, extra: { detail?: string | undefined; fix?: string | undefined } = {}): DoctorCheck => ({
  id,
  level,
  summary,
  ...(extra.detail === undefined ? {} : { detail: extra.detail }),
  ...(extra.fix === undefined ? {} : { fix: extra.fix }),
});

export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const { root, env } = options;
  const checks: DoctorCheck[] = [checkNode(options.nodeVersion ?? process.versions.node), checkGit(root, env)];
  if (!existsSync(join(root, '.git'))) {
    checks.push(check('repo', 'warn', `${root} is not the top of a git repository`, { fix: 'run doctor (and init) at the repository root, or pass --dir <repo>; the guard works anywhere, orchestrate needs git' }));
  }
  const wiring = checkWiring(root, env);
  checks.push(wiring.check);
  if (wiring.plugin) {
    const path = describeGuardPath(lastModuleSession(configDirOf(env)), Date.now());
    checks.push(check('guard-path', 'ok', path.summary, { detail: path.detail }));
  }
  const bundle = checkBundle(root, options.distDir, wiring.perRepo);
  checks.push(bundle.check);
  checks.push(await checkConstraints(root, env));
  if (bundle.hook !== undefined) checks.push(dryRun(root, bundle.hook, env));
  return checks;
}

function checkNode(version: string): DoctorCheck {
  const parsed = parseVersion(version);
  if (parsed && versionAtLeast(parsed, MIN_NODE)) return check('node', 'ok', `node ${version}`);
  return check('node', 'problem', `node ${version} is too old: fanout's bundles need node ${MIN_NODE[0]} or later`, { fix: `install node ${MIN_NODE[0]}+ (e.g. from nodejs.org or your version manager) and make it the \`node\` on PATH` });
}

function checkGit(root: string, env: NodeJS.ProcessEnv): DoctorCheck {
  const result = spawnSync('git', ['--version'], { cwd: existsSync(root) ? root : undefined, env, encoding: 'utf8', timeout: 10_000 });
  const version = result.status === 0 ? parseVersion(result.stdout) : undefined;
  if (!version) return check('git', 'problem', 'git was not found on PATH', { fix: `install git ${MIN_GIT.slice(0, 2).join('.')} or later; fanout orchestrate runs every agent in its own git worktree` });
  const shown = version.join('.');
  if (versionAtLeast(version, MIN_GIT)) return check('git', 'ok', `git ${shown} (merge-tree --write-tree available)`);
  return check('git', 'warn', `git ${shown} has no \`merge-tree --write-tree\` (git 2.38+), so \`fanout orchestrate\` refuses to run; the guard, the gate and the commands still work, and a parallel plan can be built by one agent in order instead`, {
    fix: 'upgrade git to 2.38 or later to fan plans out',
  });
}

function readJsonQuietly(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function configDirOf(env: NodeJS.ProcessEnv): string {
  return env['CLAUDE_CONFIG_DIR'] || join(env['HOME'] || homedir(), '.claude');
}

function checkWiring(root: string, env: NodeJS.ProcessEnv): { check: DoctorCheck; perRepo: boolean; plugin?: boolean } {
  let project: unknown;
  try {
    const file = readSettingsFile(join(root, PROJECT_SETTINGS), PROJECT_SETTINGS);
    project = file.exists ? file.value : undefined;
  } catch (error) {
    if (!isFanoutError(error)) throw error;
    return {
      check: check('wiring', 'problem', `${error.message.replace(/ The file was left untouched\.$/, '')}; Claude Code ignores a settings file it cannot parse, so no hook in it runs`, { fix: error.hint }),
      perRepo: false,
    };
  }
  const configDir = configDirOf(env);
  const pluginSources: Array<[string, unknown]> = [
    [PROJECT_SETTINGS, project],
    ['.claude/settings.local.json', readJsonQuietly(join(root, '.claude/settings.local.json'))],
    [join(configDir, 'settings.json'), readJsonQuietly(join(configDir, 'settings.json'))],
  ];
  const plugin = pluginSources.flatMap(([file, settings]) => {
    const id = enablesFanoutPlugin(settings);
    return id === undefined ? [] : [`${id} in ${file}`];
  });
  const status = wiringStatus(project, fanoutWiring('repo'));
  const perRepo = status.current.length + status.outdated.length > 0;
  const all = fanoutWiring('repo').map((w) => w.event);

  if (!perRepo && plugin.length === 0) {
    return {
      check: check('wiring', 'problem', 'fanout is not wired into Claude Code here: no fanout hooks in .claude/settings.json and the fanout plugin is not enabled', {
        fix: 'run `fanout init` in the repo (per-repo install), or `claude plugin install fanout@fanout` (plugin)',
      }),
      perRepo,
    };
  }
  const problems: string[] = [];
  if (status.missing.length > 0 && perRepo) problems.push(`no fanout hook on ${status.missing.join(', ')}`);
  if (status.outdated.length > 0) problems.push(`outdated or edited fanout entries on ${status.outdated.join(', ')}`);
  if (status.stray.length > 0) problems.push(`fanout entries on events it no longer uses: ${status.stray.join(', ')}`);
  if (problems.length > 0) {
    return { check: check('wiring', 'problem', `${PROJECT_SETTINGS}: ${problems.join('; ')}`, { fix: 'run `fanout init` again: it replaces fanout\'s entries and keeps everything else' }), perRepo };
  }
  if (perRepo && plugin.length > 0) {
    return {
      check: check('wiring', 'warn', `fanout is wired twice, per repo (${PROJECT_SETTINGS}) and as a plugin (${plugin.join('; ')}): every hook runs twice`, {
        fix: 'keep one: `fanout uninstall` removes the per-repo install, `claude plugin uninstall fanout` the plugin',
      }),
      perRepo,
    };
  }
  if (perRepo) return { check: check('wiring', 'ok', `per repo: ${PROJECT_SETTINGS} runs .claude/fanout/hook.cjs on ${all.join(', ')}`), perRepo };
  return { check: check('wiring', 'ok', `plugin: ${plugin.join('; ')}`), perRepo, plugin: true };
}

/** Chunk files hook.cjs loads: a partial copy fails only on the calls that load them, so look for all of them now. */
export function referencedChunks(hookSource: string): string[] {
  return [...new Set([...hookSource.matchAll(/hook-chunks\/[A-Za-z0-9_.-]+\.[cm]js/g)].map((m) => m[0]))].sort();
}

function checkBundle(root: string, distDir: string | undefined, perRepo: boolean): { check: DoctorCheck; hook: string | undefined } {
  const installed = join(root, BUNDLE_DIR);
  const dir = perRepo || existsSync(installed) ? installed : distDir;
  const shown = dir === installed ? BUNDLE_DIR : (dir ?? 'dist');
  if (dir === undefined) return { check: check('bundle', 'problem', 'cannot find a fanout build to check', { fix: 'run `npm run build` in the fanout checkout' }), hook: undefined };
  const hook = join(dir, 'hook.cjs');
  const missing = ['hook.cjs', 'cli.mjs'].filter((file) => !existsSync(join(dir, file)));
  if (existsSync(hook)) missing.push(...referencedChunks(readFileSync(hook, 'utf8')).filter((chunk) => !existsSync(join(dir, chunk))));
  if (missing.length > 0) {
    return {
      check: check('bundle', 'problem', `${shown} is incomplete: missing ${missing.join(', ')}`, { fix: dir === installed ? 'run `fanout init` to copy the whole build again, and commit .claude/fanout/ with all its files' : 'run `npm run build`' }),
      hook: existsSync(hook) ? hook : undefined,
    };
  }
  if (dir !== installed) return { check: check('bundle', 'ok', `${shown}: hook.cjs and cli.mjs present (fanout ${FANOUT_VERSION})`), hook };

  const record = readInstallRecord(root);
  if (record !== undefined && record.fanout !== FANOUT_VERSION) {
    return { check: check('bundle', 'problem', `${BUNDLE_DIR} was installed by fanout ${record.fanout}; this CLI is ${FANOUT_VERSION}`, { fix: 'run `fanout init` with the CLI you mean to use, then commit .claude/' }), hook };
  }
  if (distDir !== undefined && !sameFiles(distDir, installed)) {
    return {
      check: check('bundle', 'problem', `${BUNDLE_DIR} differs from the build of the CLI you ran (${distDir})`, { fix: 'run `fanout init` to copy the current build, then commit .claude/' }),
      hook,
    };
  }
  if (record === undefined) {
    return {
      check: check('bundle', 'warn', `${BUNDLE_DIR} has no install.json: fanout uninstall will only remove what it recognises`, { fix: 'run `fanout init` again to record the install' }),
      hook,
    };
  }
  return { check: check('bundle', 'ok', `${BUNDLE_DIR}: complete, fanout ${record.fanout} (same as this CLI)`), hook };
}

/** Whether every built file of `dist` is in `installed` with the same bytes. */
function sameFiles(dist: string, installed: string): boolean {
  if (dist === installed) return true;
  const ours = perRepoFiles(listFiles(dist));
  return ours.every((file) => {
    const there = join(installed, file);
    return existsSync(there) && readFileSync(there).equals(readFileSync(join(dist, file)));
  }) && listFiles(installed).filter((f) => f.startsWith('hook-chunks/')).every((f) => ours.includes(f));
}

async function checkConstraints(root: string, env: NodeJS.ProcessEnv): Promise<DoctorCheck> {
  const loaded = await loadConstraints(root, env);
  if ('error' in loaded) {
    return check('constraints', 'problem', `${loaded.file} is invalid: the guard denies every tool call until it is fixed`, {
      detail: loaded.error,
      fix: 'fix the lines above (each names the line and field), or delete the file to use the built-in defaults',
    });
  }
  if (loaded.file === undefined) return check('constraints', 'ok', 'no .claude/constraints.md: the built-in defaults apply (`fanout init` writes them out to edit)');
  return check('constraints', 'ok', `${loaded.file} is valid (${loaded.constraints.locked.length} locked paths, ${loaded.constraints.stopTriggers.length} stop triggers)`);
}

interface HookAnswer {
  decision: 'allow' | 'deny' | 'ask' | 'failed';
  reason: string;
}

function callHook(hook: string, root: string, env: NodeJS.ProcessEnv, command: string): HookAnswer {
  const input = JSON.stringify({ session_id: 'fanout-doctor', cwd: root, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command, description: 'fanout doctor dry run' } });
  const result = spawnSync(process.execPath, [hook, 'pre-tool-use'], { cwd: root, input, env: { ...env, CLAUDE_PROJECT_DIR: root }, encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    return { decision: 'failed', reason: `${why}${result.stderr ? `: ${result.stderr.trim().split('\n').slice(0, 3).join(' ')}` : ''}` };
  }
  if (result.stdout.trim() === '') return { decision: 'allow', reason: '' };
  try {
    const output = JSON.parse(result.stdout) as { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } };
    const decision = output.hookSpecificOutput?.permissionDecision;
    if (decision === 'deny' || decision === 'ask' || decision === 'allow') return { decision, reason: output.hookSpecificOutput?.permissionDecisionReason ?? '' };
  } catch {
    // Fall through: an answer Claude Code could not use either.
  }
  return { decision: 'failed', reason: `unusable output: ${result.stdout.slice(0, 200)}` };
}

function dryRun(root: string, hook: string, env: NodeJS.ProcessEnv): DoctorCheck {
  const benign = callHook(hook, root, env, 'git status');
  const dangerous = callHook(hook, root, env, 'rm -rf ~');
  const problems: string[] = [];
  if (benign.decision !== 'allow') problems.push(`\`git status\` was ${benign.decision === 'failed' ? `not answered (${benign.reason})` : `${benign.decision === 'deny' ? 'denied' : 'asked about'}: ${benign.reason}`}`);
  if (dangerous.decision !== 'deny') problems.push(`\`rm -rf ~\` was ${dangerous.decision === 'failed' ? `not answered (${dangerous.reason})` : `${dangerous.decision === 'allow' ? 'allowed' : 'only asked about'}`}`);
  const shown = hook.startsWith(`${root}/`) ? hook.slice(root.length + 1) : hook;
  if (problems.length === 0) return check('dry-run', 'ok', `${shown}: \`git status\` allowed, \`rm -rf ~\` denied (${dangerous.reason.split(']')[0]}])`);
  return check('dry-run', 'problem', `${shown} pre-tool-use: ${problems.join('; ')}`, {
    fix: benign.decision === 'deny' && /constraints/.test(benign.reason) ? 'fix the constraints file (see above)' : 'run `fanout init` to copy a working build; if it persists, report it with the lines above',
  });
}

export function formatDoctorReport(root: string, checks: DoctorCheck[]): string {
  const label: Record<CheckLevel, string> = { ok: 'ok', warn: 'warn', problem: 'PROBLEM' };
  const idWidth = Math.max(...checks.map((c) => c.id.length));
  const lines = [`fanout doctor: ${root} (fanout ${FANOUT_VERSION})`];
  for (const c of checks) {
    lines.push(`  ${label[c.level].padEnd(7)}  ${c.id.padEnd(idWidth)}  ${c.summary}`);
    const indent = ' '.repeat(13 + idWidth);
    if (c.detail) lines.push(...c.detail.split('\n').map((line) => `${indent}${line}`));
    if (c.fix) lines.push(`${indent}fix: ${c.fix}`);
  }
  const problems = checks.filter((c) => c.level === 'problem').length;
  const warnings = checks.filter((c) => c.level === 'warn').length;
  lines.push('', problems === 0 ? `No problems${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.` : `${problems} problem${problems === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}: fix them as shown above.`);
  return lines.join('\n');
}

/** `git version 2.39.5` → [2, 39, 5]; `20.20.2` → [20, 20, 2]. */
export function parseVersion(output: string): [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

export function versionAtLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const a = version[i] ?? 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
