// `fanout uninstall`: removes what `fanout init` added, as recorded in .claude/fanout/install.json. Without the
// record it falls back to what it can recognise as fanout's (its hook entries, files equal to what init writes).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CONSTRAINTS_FILE } from '../constraints/find-repo.js';
import { renderCommands } from './commands.js';
import { renderConstraintsTemplate } from './constraints-template.js';
import { listFiles, readIfExists, removeDirIfEmpty, sha256, writeIfChanged, type ActionLine } from './files.js';
import { BUNDLE_DIR, COMMANDS_DIR, readInstallRecord } from './init.js';
import { INSTALL_RECORD_FILE } from './install-record.js';
import { unmergeSettings } from './merge-settings.js';
import { PROJECT_SETTINGS, readSettingsFile, settingsIssueError } from './settings-file.js';
import { formatSettings } from './settings-text.js';
import { fanoutWiring } from './wiring.js';

export interface UninstallOptions {
  root: string;
  /** Also remove the constraints file (when init created it). */
  all?: boolean;
}

export interface UninstallReport {
  root: string;
  actions: ActionLine[];
  /** False when install.json was missing or unreadable and the fallback ran. */
  recorded: boolean;
}

export function runUninstall(options: UninstallOptions): UninstallReport {
  const { root } = options;
  const record = readInstallRecord(root);
  const actions: ActionLine[] = [];

  // Settings first: if the file cannot be read, nothing else is touched either.
  const settingsPath = join(root, PROJECT_SETTINGS);
  const settingsFile = readSettingsFile(settingsPath, PROJECT_SETTINGS);
  if (settingsFile.exists) {
    const added = record === undefined ? undefined : { hooksKey: record.settings.createdHooksKey, events: record.settings.createdEvents };
    const result = unmergeSettings(settingsFile.value, fanoutWiring('repo'), added);
    if (!result.ok) throw settingsIssueError(PROJECT_SETTINGS, result.issue);
    if (!result.changed) {
      actions.push({ action: 'unchanged', path: PROJECT_SETTINGS, note: 'no fanout hook entries' });
    } else if (Object.keys(result.settings).length === 0 && (record === undefined || record.settings.createdFile)) {
      rmSync(settingsPath);
      actions.push({ action: 'removed', path: PROJECT_SETTINGS, note: "only fanout's hook entries were in it" });
    } else {
      writeIfChanged(settingsPath, formatSettings(result.settings, settingsFile.style));
      actions.push({ action: 'updated', path: PROJECT_SETTINGS, note: `removed fanout's ${result.removed} hook entr${result.removed === 1 ? 'y' : 'ies'}` });
    }
  }

  // Commands: removed only if unchanged since init.
  const commands: Record<string, string> = record?.commands ?? fallbackCommands();
  for (const [rel, hash] of Object.entries(commands)) {
    const current = readIfExists(join(root, rel));
    if (current === undefined) continue;
    if (sha256(current) === hash) {
      rmSync(join(root, rel));
      actions.push({ action: 'removed', path: rel });
    } else {
      actions.push({ action: 'kept', path: rel, note: record === undefined ? 'differs from what fanout init writes' : 'edited since fanout init; delete it yourself if you no longer want it' });
    }
  }

  // The constraints file is the user's: kept unless --all, and then only if init created it.
  const constraintsPath = join(root, CONSTRAINTS_FILE);
  if (existsSync(constraintsPath)) {
    const createdByInit = record !== undefined ? record.constraints.created : readIfExists(constraintsPath)?.toString('utf8') === renderConstraintsTemplate();
    if (options.all && createdByInit) {
      rmSync(constraintsPath);
      actions.push({ action: 'removed', path: CONSTRAINTS_FILE, note: '--all' });
    } else {
      actions.push({
        action: 'kept',
        path: CONSTRAINTS_FILE,
        note: !createdByInit ? 'it was there before fanout init' : 'your constraints; `fanout uninstall --all` removes it too',
      });
    }
  }

  // The bundle directory: fanout's own.
  const bundle = record?.bundle ?? fallbackBundle(root);
  for (const rel of [...bundle, INSTALL_RECORD_FILE]) {
    if (!existsSync(join(root, rel))) continue;
    rmSync(join(root, rel), { force: true });
    actions.push({ action: 'removed', path: rel });
  }
  removeDirIfEmpty(join(root, BUNDLE_DIR, 'hook-chunks'));
  removeDirIfEmpty(join(root, BUNDLE_DIR));
  const leftovers = existsSync(join(root, BUNDLE_DIR)) ? readdirSync(join(root, BUNDLE_DIR)) : [];
  if (leftovers.length > 0) actions.push({ action: 'kept', path: `${BUNDLE_DIR}/`, note: `holds files fanout did not write: ${leftovers.join(', ')}` });

  // Directories init created, deepest first, if nothing else lives in them now.
  for (const dir of [...(record?.createdDirs ?? [])].reverse()) removeDirIfEmpty(join(root, dir));
  return { root, actions, recorded: record !== undefined };
}

function fallbackCommands(): Record<string, string> {
  return Object.fromEntries(renderCommands('repo').map(({ name, content }) => [`${COMMANDS_DIR}/${name}.md`, sha256(content)]));
}

function fallbackBundle(root: string): string[] {
  const dir = join(root, BUNDLE_DIR);
  if (!existsSync(dir)) return [];
  return listFiles(dir)
    .filter((file) => file === 'hook.cjs' || file === 'hook.mjs' || file === 'cli.mjs' || /^hook-chunks\/[^/]+\.[cm]js$/.test(file))
    .map((file) => `${BUNDLE_DIR}/${file}`);
}

export function formatUninstallReport(report: UninstallReport): string {
  const lines = [`fanout uninstall: ${report.root}`];
  if (!report.recorded) lines.push(`  (no ${INSTALL_RECORD_FILE}: removing what is recognisably fanout's)`);
  if (report.actions.length === 0) return [...lines, '', 'Nothing of fanout was found here.'].join('\n');
  const width = Math.max(...report.actions.map((a) => a.action.length));
  for (const { action, path, note } of report.actions) lines.push(`  ${action.padEnd(width)}  ${path}${note ? `  (${note})` : ''}`);
  return lines.join('\n');
}

