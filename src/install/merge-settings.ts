// Adds fanout's hook entries to a Claude Code settings object and takes them out again. Pure: the caller reads
// and writes the file. Everything else in the settings is kept as it was, key order included.
import { isFanoutHookCommand, type HookGroup, type Wiring } from './wiring.js';

export type JsonObject = { [key: string]: unknown };

/** What a merge created that was not there before, so that an unmerge can take exactly that away again. */
export interface SettingsAdditions {
  /** The settings had no `hooks` key. */
  hooksKey: boolean;
  /** Events that had no key under `hooks`. */
  events: string[];
}

export interface SettingsIssue {
  code: 'settings-not-object' | 'hooks-not-object' | 'hooks-event-not-array';
  /** Dotted path of the offending value ('' for the whole file). */
  field: string;
  message: string;
  hint: string;
}

export type MergeResult = { ok: true; settings: JsonObject; changed: boolean; added: SettingsAdditions } | { ok: false; issue: SettingsIssue };
export type UnmergeResult = { ok: true; settings: JsonObject; changed: boolean; removed: number } | { ok: false; issue: SettingsIssue };

export function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Builds an object from entries without ever invoking a `__proto__` setter: settings keys are data. */
function objectFrom(entries: Array<[string, unknown]>): JsonObject {
  return Object.fromEntries(entries) as JsonObject;
}

function isFanoutEntry(entry: unknown): boolean {
  return isPlainObject(entry) && isFanoutHookCommand(entry['command']);
}

interface Stripped {
  groups: unknown[];
  /** Index in `groups` where a group holding only fanout entries was taken out (first one). */
  vacated: number | undefined;
  removed: number;
}

/** Takes fanout's entries out of one event's groups; a group left with no entries goes too. */
function stripEvent(groups: unknown[]): Stripped {
  const out: unknown[] = [];
  let vacated: number | undefined;
  let removed = 0;
  for (const group of groups) {
    const hooks = isPlainObject(group) ? group['hooks'] : undefined;
    if (!isPlainObject(group) || !Array.isArray(hooks)) {
      out.push(group);
      continue;
    }
    const kept = hooks.filter((entry) => !isFanoutEntry(entry));
    if (kept.length === hooks.length) {
      out.push(group);
      continue;
    }
    removed += hooks.length - kept.length;
    if (kept.length === 0) {
      vacated ??= out.length;
      continue;
    }
    out.push(objectFrom(Object.entries(group).map(([key, value]) => [key, key === 'hooks' ? kept : value])));
  }
  return { groups: out, vacated, removed };
}

function checkShape(existing: unknown, wiredEvents: ReadonlySet<string>): SettingsIssue | { settings: JsonObject; hooks: JsonObject | undefined } {
  if (existing === undefined) return { settings: {}, hooks: undefined };
  if (!isPlainObject(existing)) {
    return {
      code: 'settings-not-object',
      field: '',
      message: `the settings file holds ${describe(existing)}, not a JSON object`,
      hint: 'a Claude Code settings file is one JSON object, e.g. {"permissions": {…}, "hooks": {…}}; fix it by hand',
    };
  }
  const hooks = existing['hooks'];
  if (hooks === undefined) return { settings: existing, hooks: undefined };
  if (!isPlainObject(hooks)) {
    return {
      code: 'hooks-not-object',
      field: 'hooks',
      message: `"hooks" is ${describe(hooks)}, not an object of events`,
      hint: 'write it as {"PreToolUse": [ … ], …} (see the Claude Code hooks docs), or remove it; then run fanout again',
    };
  }
  for (const event of wiredEvents) {
    const groups = hooks[event];
    if (groups !== undefined && !Array.isArray(groups)) {
      return {
        code: 'hooks-event-not-array',
        field: `hooks.${event}`,
        message: `"hooks.${event}" is ${describe(groups)}, not a list of {matcher, hooks} groups`,
        hint: `write it as [{"matcher": "…", "hooks": [{"type": "command", "command": "…"}]}], or remove it; then run fanout again`,
      };
    }
  }
  return { settings: existing, hooks };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Adds the wiring's groups. fanout's entries from any earlier version are taken out first and the new group goes
 * where the old one was (else at the end), so running it again changes nothing. `existing` undefined = no file.
 */
export function mergeSettings(existing: unknown, wiring: Wiring): MergeResult {
  const wiredEvents = new Set(wiring.map((w) => w.event));
  const shape = checkShape(existing, wiredEvents);
  if ('code' in shape) return { ok: false, issue: shape };
  const { settings, hooks } = shape;
  const byEvent = new Map<string, HookGroup>(wiring.map((w) => [w.event, w.group]));

  const hookEntries: Array<[string, unknown]> = [];
  for (const [event, groups] of Object.entries(hooks ?? {})) {
    if (!Array.isArray(groups)) {
      hookEntries.push([event, groups]);
      continue;
    }
    const stripped = stripEvent(groups);
    const ours = byEvent.get(event);
    if (ours === undefined) {
      // An event fanout no longer wires: drop it if only fanout's entries were in it.
      if (stripped.groups.length > 0 || groups.length === 0) hookEntries.push([event, stripped.groups]);
      continue;
    }
    const at = stripped.vacated ?? stripped.groups.length;
    hookEntries.push([event, [...stripped.groups.slice(0, at), ours, ...stripped.groups.slice(at)]]);
  }
  const present = new Set(hookEntries.map(([event]) => event));
  const added: SettingsAdditions = { hooksKey: hooks === undefined, events: [] };
  for (const { event, group } of wiring) {
    if (present.has(event)) continue;
    hookEntries.push([event, [group]]);
    added.events.push(event);
  }
  const newHooks = objectFrom(hookEntries);
  const entries: Array<[string, unknown]> = Object.entries(settings).map(([key, value]) => [key, key === 'hooks' ? newHooks : value]);
  if (hooks === undefined) entries.push(['hooks', newHooks]);
  const merged = objectFrom(entries);
  if (existing !== undefined && sameJson(existing, merged)) return { ok: true, settings: existing as JsonObject, changed: false, added: { hooksKey: false, events: [] } };
  return { ok: true, settings: merged, changed: true, added };
}

/**
 * Takes every fanout entry out. With `added` (what the merge created), containers fanout created and left empty go
 * too, so the result is JSON-equal to the settings before the merge; without it, containers that only held fanout
 * entries go.
 */
export function unmergeSettings(settings: unknown, _wiring: Wiring, added?: SettingsAdditions): UnmergeResult {
  const shape = checkShape(settings, new Set());
  if ('code' in shape) return { ok: false, issue: shape };
  const { settings: base, hooks } = shape;
  if (hooks === undefined) return { ok: true, settings: base, changed: false, removed: 0 };
  let removed = 0;
  const hookEntries: Array<[string, unknown]> = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) {
      hookEntries.push([event, groups]);
      continue;
    }
    const stripped = stripEvent(groups);
    removed += stripped.removed;
    const emptied = stripped.removed > 0 && stripped.groups.length === 0;
    const createdByUs = added === undefined ? true : added.events.includes(event);
    if (emptied && createdByUs) continue;
    hookEntries.push([event, stripped.removed > 0 ? stripped.groups : groups]);
  }
  if (removed === 0) return { ok: true, settings: base, changed: false, removed: 0 };
  const dropHooks = hookEntries.length === 0 && (added === undefined ? true : added.hooksKey);
  const entries = Object.entries(base).flatMap(([key, value]): Array<[string, unknown]> => (key !== 'hooks' ? [[key, value]] : dropHooks ? [] : [[key, objectFrom(hookEntries)]]));
  return { ok: true, settings: objectFrom(entries), changed: true, removed };
}

/** Order-sensitive equality: a merge that would only reorder keys still counts as a change. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
