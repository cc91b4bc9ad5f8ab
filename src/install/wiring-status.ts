// How a settings object wires fanout: which events carry fanout's current entry, which an outdated one, which none.
import { isPlainObject, sameJson } from './merge-settings.js';
import { isFanoutHookCommand, type Wiring } from './wiring.js';

export interface WiringStatus {
  /** Events whose fanout group is exactly the current one. */
  current: string[];
  /** Events with a fanout entry that differs from the current one (an older init, or edited by hand). */
  outdated: string[];
  /** Wired events with no fanout entry. */
  missing: string[];
  /** Events fanout does not wire that still carry fanout entries. */
  stray: string[];
}

function hasFanoutEntry(group: unknown): boolean {
  const hooks = isPlainObject(group) ? group['hooks'] : undefined;
  return Array.isArray(hooks) && hooks.some((entry) => isPlainObject(entry) && isFanoutHookCommand(entry['command']));
}

export function wiringStatus(settings: unknown, wiring: Wiring): WiringStatus {
  const hooks = isPlainObject(settings) && isPlainObject(settings['hooks']) ? settings['hooks'] : {};
  const status: WiringStatus = { current: [], outdated: [], missing: [], stray: [] };
  const wired = new Set(wiring.map((w) => w.event));
  for (const { event, group } of wiring) {
    const groups = hooks[event];
    const list = Array.isArray(groups) ? groups : [];
    const fanoutGroups = list.filter(hasFanoutEntry);
    if (fanoutGroups.length === 0) status.missing.push(event);
    else if (fanoutGroups.length === 1 && sameJson(fanoutGroups[0], group)) status.current.push(event);
    else status.outdated.push(event);
  }
  for (const [event, groups] of Object.entries(hooks)) {
    if (!wired.has(event) && Array.isArray(groups) && groups.some(hasFanoutEntry)) status.stray.push(event);
  }
  return status;
}

/** Whether settings enable fanout as a plugin (`enabledPlugins: {"fanout@<marketplace>": true}`). */
export function enablesFanoutPlugin(settings: unknown): string | undefined {
  const enabled = isPlainObject(settings) ? settings['enabledPlugins'] : undefined;
  if (!isPlainObject(enabled)) return undefined;
  return Object.keys(enabled).find((key) => /^fanout@/.test(key) && enabled[key] === true);
}
