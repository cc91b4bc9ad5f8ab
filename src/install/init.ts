// `fanout init`: installs fanout into a repo's .claude/ (bundles, commands, constraints template, hook entries)
// and records what it added in .claude/fanout/install.json.
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSTRAINTS_FILE } from '../constraints/find-repo.js';
import { formatConstraintsIssues, validateConstraints } from '../constraints/parse-constraints.js';
import { FanoutError } from '../util/errors.js';
import { renderCommands } from './commands.js';
import { renderConstraintsTemplate } from './constraints-template.js';
import { listFiles, missingDirs, readIfExists, sha256, writeIfChanged, type ActionLine } from './files.js';
import { formatInstallRecord, INSTALL_RECORD_FILE, parseInstallRecord, type InstallRecord } from './install-record.js';
import { isDistDir, perRepoFiles } from './locate-dist.js';
import { mergeSettings } from './merge-settings.js';
import { PROJECT_SETTINGS, readSettingsFile, settingsIssueError } from './settings-file.js';
import { formatSettings, DEFAULT_STYLE } from './settings-text.js';
import { FANOUT_VERSION } from './version.js';
import { fanoutWiring } from './wiring.js';

export const BUNDLE_DIR = '.claude/fanout';
export const COMMANDS_DIR = '.claude/commands';

export interface InitOptions {
  /** Repo root to install into. */
  root: string;
  /** The built bundles to copy (dist/ or an installed .claude/fanout/). */
  distDir: string;
  /** Replace command files that differ from fanout's (edited, or the user's own). */
  force?: boolean;
}

export interface InitReport {
  root: string;
  actions: ActionLine[];
  record: InstallRecord;
  /** Set when the constraints file exists but is invalid: every tool call will be denied until it is fixed. */
  constraintsError?: string;
}

export function readInstallRecord(root: string): InstallRecord | undefined {
  const text = readIfExists(join(root, INSTALL_RECORD_FILE));
  return text === undefined ? undefined : parseInstallRecord(text.toString('utf8'));
}

export function runInit(options: InitOptions): InitReport {
  const { root, distDir } = options;
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new FanoutError('init-no-dir', `${root} is not a directory`, { hint: 'pass the repository to install into with --dir <path>' });
  }
  if (!isDistDir(distDir)) {
    throw new FanoutError('init-no-build', `no fanout build in ${distDir} (hook.cjs and cli.mjs are missing)`, {
      hint: 'run `npm run build` in the fanout checkout, then run init with its dist/cli.mjs',
    });
  }
  // Everything that can fail on the user's files is checked before anything is written.
  const settingsPath = join(root, PROJECT_SETTINGS);
  const settingsFile = readSettingsFile(settingsPath, PROJECT_SETTINGS);
  const merged = mergeSettings(settingsFile.exists ? settingsFile.value : undefined, fanoutWiring('repo'));
  if (!merged.ok) throw settingsIssueError(PROJECT_SETTINGS, merged.issue);

  const previous = readInstallRecord(root);
  const actions: ActionLine[] = [];
  const createdDirs = new Set(previous?.createdDirs ?? []);
  const noteDirs = (rel: string) => {
    for (const dir of missingDirs(root, join(root, rel))) createdDirs.add(dir);
  };

  // 1. The bundles: a verbatim copy of the build, so a teammate who clones needs nothing but node.
  const bundle = perRepoFiles(listFiles(distDir)).map((file) => `${BUNDLE_DIR}/${file}`);
  const samePlace = existsSync(join(root, BUNDLE_DIR)) && sameDir(distDir, join(root, BUNDLE_DIR));
  for (const rel of bundle) {
    noteDirs(rel);
    const source = join(distDir, rel.slice(BUNDLE_DIR.length + 1));
    const action = samePlace ? 'unchanged' : writeIfChanged(join(root, rel), readFileSync(source));
    const mode = statSync(source).mode & 0o777;
    if (!samePlace && (statSync(join(root, rel)).mode & 0o777) !== mode) chmodSync(join(root, rel), mode);
    actions.push({ action, path: rel });
  }
  const stale = new Set([...(previous?.bundle ?? []), ...chunkFiles(root)]);
  for (const rel of stale) {
    if (bundle.includes(rel) || rel === INSTALL_RECORD_FILE || !existsSync(join(root, rel))) continue;
    rmSync(join(root, rel), { force: true });
    actions.push({ action: 'removed', path: rel, note: 'left over from an earlier build' });
  }

  // 2. The slash commands.
  const commands: Record<string, string> = {};
  for (const { name, content } of renderCommands('repo')) {
    const rel = `${COMMANDS_DIR}/${name}.md`;
    const path = join(root, rel);
    const hash = sha256(content);
    const current = readIfExists(path);
    const recorded = previous?.commands[rel];
    if (current === undefined || current.toString('utf8') === content || (recorded !== undefined && sha256(current) === recorded) || options.force) {
      noteDirs(rel);
      const action = writeIfChanged(path, content);
      const overwrote = current !== undefined && action === 'updated' && (recorded === undefined || sha256(current) !== recorded);
      actions.push(overwrote ? { action, path: rel, note: 'replaced a file fanout did not write (--force)' } : { action, path: rel });
      commands[rel] = hash;
    } else {
      actions.push({
        action: 'kept',
        path: rel,
        note: recorded === undefined ? 'a command of yours with the same name; --force replaces it' : 'edited since fanout init; --force replaces it with the current version',
      });
      if (recorded !== undefined) commands[rel] = recorded;
    }
  }
  for (const [rel, hash] of Object.entries(previous?.commands ?? {})) {
    if (rel in commands) continue;
    const current = readIfExists(join(root, rel));
    if (current !== undefined && sha256(current) === hash) {
      rmSync(join(root, rel));
      actions.push({ action: 'removed', path: rel, note: 'no longer part of fanout' });
    } else if (current !== undefined) {
      actions.push({ action: 'kept', path: rel, note: 'no longer part of fanout, but edited since init' });
    }
  }

  // 3. The constraints template, only where there is no constraints file.
  const constraintsPath = join(root, CONSTRAINTS_FILE);
  let constraints: InstallRecord['constraints'] = previous?.constraints ?? { file: CONSTRAINTS_FILE, created: false };
  let constraintsError: string | undefined;
  if (!existsSync(constraintsPath)) {
    const template = renderConstraintsTemplate();
    noteDirs(CONSTRAINTS_FILE);
    writeIfChanged(constraintsPath, template);
    constraints = { file: CONSTRAINTS_FILE, created: true, sha256: sha256(template) };
    actions.push({ action: 'created', path: CONSTRAINTS_FILE, note: 'the built-in defaults, written out: edit it to fit this repo' });
  } else {
    constraintsError = constraintsProblem(root);
    actions.push({ action: 'kept', path: CONSTRAINTS_FILE, note: constraintsError === undefined ? 'exists; left as it is' : 'exists but is INVALID (see below); left as it is' });
  }

  // 4. The hook entries.
  noteDirs(PROJECT_SETTINGS);
  const settingsAction = merged.changed ? writeIfChanged(settingsPath, formatSettings(merged.settings, settingsFile.exists ? settingsFile.style : DEFAULT_STYLE)) : 'unchanged';
  actions.push({ action: settingsAction, path: PROJECT_SETTINGS, note: `hooks: ${fanoutWiring('repo').map((w) => w.event).join(', ')}` });
  const wiredEvents = fanoutWiring('repo').map((w) => w.event);
  const createdEvents = new Set([...(previous?.settings.createdEvents ?? []), ...merged.added.events]);

  const record: InstallRecord = {
    fanout: FANOUT_VERSION,
    bundle,
    settings: {
      file: PROJECT_SETTINGS,
      createdFile: (previous?.settings.createdFile ?? false) || !settingsFile.exists,
      createdHooksKey: (previous?.settings.createdHooksKey ?? false) || merged.added.hooksKey,
      createdEvents: wiredEvents.filter((event) => createdEvents.has(event)),
    },
    commands: Object.fromEntries(Object.entries(commands).sort(([a], [b]) => a.localeCompare(b))),
    constraints,
    createdDirs: [...createdDirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b)),
  };
  actions.push({ action: writeIfChanged(join(root, INSTALL_RECORD_FILE), formatInstallRecord(record)), path: INSTALL_RECORD_FILE, note: 'what init added, for fanout uninstall' });
  return constraintsError === undefined ? { root, actions, record } : { root, actions, record, constraintsError };
}

function sameDir(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

function chunkFiles(root: string): string[] {
  const dir = join(root, BUNDLE_DIR, 'hook-chunks');
  return existsSync(dir) ? listFiles(dir).map((file) => `${BUNDLE_DIR}/hook-chunks/${file}`) : [];
}

/** The constraints file's error in the words the hook uses, or undefined when it is valid. */
function constraintsProblem(root: string): string | undefined {
  return validateConstraintsText(readFileSync(join(root, CONSTRAINTS_FILE), 'utf8'), CONSTRAINTS_FILE);
}

export function validateConstraintsText(text: string, shown: string): string | undefined {
  const validated = validateConstraints(text);
  return validated.ok ? undefined : formatConstraintsIssues(shown, validated.issues);
}

/** Lines for the terminal: one per file, then what to do next. */
export function formatInitReport(report: InitReport): string {
  const width = Math.max(...report.actions.map((a) => a.action.length));
  const lines = [`fanout init: ${report.root}`];
  for (const { action, path, note } of report.actions) lines.push(`  ${action.padEnd(width)}  ${path}${note ? `  (${note})` : ''}`);
  const count = (action: string) => report.actions.filter((a) => a.action === action).length;
  const changed = count('created') + count('updated') + count('removed');
  lines.push('');
  if (changed === 0) lines.push('Already installed: nothing changed.');
  else lines.push(`${count('created')} created, ${count('updated')} updated, ${count('removed')} removed, ${count('unchanged')} unchanged, ${count('kept')} kept.`);
  if (report.constraintsError) lines.push('', `${CONSTRAINTS_FILE} is invalid, so every tool call will be denied until it is fixed:`, report.constraintsError);
  lines.push(
    '',
    'Next: commit .claude/ so teammates get the guard and the commands (they need only node);',
    '`node .claude/fanout/cli.mjs doctor` checks the install; `node .claude/fanout/cli.mjs uninstall` removes it.',
  );
  return lines.join('\n');
}
