// Reads a Claude Code settings file for the installer: absent, parsed (with its style), or a FanoutError that
// names file:line:column and leaves the file alone.
import { readFileSync } from 'node:fs';
import { FanoutError } from '../util/errors.js';
import type { SettingsIssue } from './merge-settings.js';
import { parseSettingsText, type SettingsStyle } from './settings-text.js';

export type SettingsFile = { exists: false } | { exists: true; text: string; value: unknown; style: SettingsStyle };

export const PROJECT_SETTINGS = '.claude/settings.json';

/** `shown`: the path as the user should see it in messages. */
export function readSettingsFile(path: string, shown: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw new FanoutError('settings-unreadable', `cannot read ${shown} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      hint: 'fix its permissions, then run the command again',
      cause: error,
    });
  }
  const parsed = parseSettingsText(text);
  if (!parsed.ok) {
    throw new FanoutError('settings-invalid-json', `${shown}:${parsed.line}:${parsed.column}: not valid JSON: ${parsed.message}. The file was left untouched.`, {
      hint: `fix the JSON at line ${parsed.line} by hand (a trailing comma, a missing quote or comma are the usual causes), then run the command again; Claude Code also ignores a settings file it cannot parse`,
      data: { file: shown, line: parsed.line, column: parsed.column },
    });
  }
  return { exists: true, text, value: parsed.value, style: parsed.style };
}

export function settingsIssueError(shown: string, issue: SettingsIssue): FanoutError {
  return new FanoutError(issue.code, `${shown}${issue.field ? `: ${issue.field}` : ''}: ${issue.message}. The file was left untouched.`, { hint: issue.hint, data: { file: shown, field: issue.field } });
}
