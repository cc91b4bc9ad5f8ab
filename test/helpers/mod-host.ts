// The built hooks module (dist/plugin/fanout-hooks.mjs) run in node: a `$` over node's fs and processes shaped like
// Claude Code's (same answers, same "… failed: ENOENT" errors), and an `on` that records the hooks. The e2e tests
// run the same bundle in the real CLI; these run it thousands of times.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModApi, Next, ToolCallEvent, ToolCallResult } from '../../src/mod/mod-api.js';

export const MODULE_BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'plugin', 'fanout-hooks.mjs');

export interface HostState {
  cwd: string;
  sessionId: string;
  /** What `$.env.get` answers. */
  env: Record<string, string | undefined>;
  /** What `$.process.hookEnv` answers. */
  hookEnv: Record<string, string | undefined>;
  logs: string[];
  /** Replace one `$` call to inject a failure. */
  override?: Partial<{ stat: (path: string) => Promise<never>; hookEnv: () => Promise<never> }>;
}

function errno(error: unknown): string {
  return (error as { code?: string }).code ?? String(error);
}

export function nodeModApi(state: HostState): ModApi {
  return {
    fs: {
      read: async (path) => {
        try {
          return readFileSync(path, 'utf8');
        } catch (error) {
          throw new Error(`fanout: $.fs.read(${path}) failed: ${errno(error)}`);
        }
      },
      write: async (path, text) => {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      },
      list: async (path) => {
        try {
          return readdirSync(path, { withFileTypes: true }).map((entry) => ({ name: entry.name, kind: entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other' }));
        } catch (error) {
          throw new Error(`fanout: $.fs.list(${path}) failed: ${errno(error)}`);
        }
      },
      stat: async (path) => {
        if (state.override?.stat) return state.override.stat(path);
        try {
          const stat = statSync(path);
          return { kind: stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other', size: stat.size, mtimeMs: stat.mtimeMs, isLink: false };
        } catch (error) {
          throw new Error(`fanout: $.fs.stat(${path}) failed: ${errno(error)}`);
        }
      },
    },
    process: {
      run: async (argv, init) => {
        const result = spawnSync(argv[0] as string, argv.slice(1), { input: init?.stdin ?? '', encoding: 'utf8', cwd: init?.cwd ?? state.cwd });
        return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
      },
      hookEnv: async () => (state.override?.hookEnv ? state.override.hookEnv() : state.hookEnv),
    },
    env: { get: async (name) => state.env[name] },
    session: { id: async () => state.sessionId, cwd: async () => state.cwd },
    ui: { log: (text) => void state.logs.push(text) },
  };
}

type AnyHook = ($: ModApi, e: never, next: never) => Promise<unknown>;

export interface LoadedModule {
  hooks: Map<string, { matcher: { tool: RegExp } | undefined; hook: AnyHook; onError: AnyHook | undefined }>;
  $: ModApi;
  state: HostState;
  startSession(): Promise<void>;
  /** Runs the tool.call hook; 'passed' when it called next (the command hooks would run). */
  toolCall(e: ToolCallEvent): Promise<{ deny: string } | 'passed'>;
  /** Runs the tool.call hook's .catch handler, as Claude Code does when the hook throws or times out. */
  toolCallFailed(e: ToolCallEvent, kind: string): Promise<ToolCallResult>;
}

let loads = 0;

/** A fresh instance of the built module (its state is per session), registered against a recording `on`. */
export async function loadModule(state: HostState): Promise<LoadedModule> {
  const { register } = (await import(`${pathToFileURL(MODULE_BUNDLE).href}?instance=${++loads}`)) as { register: (on: unknown) => void };
  const hooks: LoadedModule['hooks'] = new Map();
  const on = (event: string, ...rest: unknown[]) => {
    const hook = rest.at(-1) as AnyHook;
    const entry = { matcher: rest.length === 2 ? (rest[0] as { tool: RegExp }) : undefined, hook, onError: undefined as AnyHook | undefined };
    hooks.set(event, entry);
    return { catch: (handler: AnyHook) => void (entry.onError = handler) };
  };
  register(on);
  const $ = nodeModApi(state);
  const passed = Symbol('passed');
  const next = (async () => passed) as unknown as Next<unknown, unknown>;
  return {
    hooks,
    $,
    state,
    startSession: async () => {
      await (hooks.get('session.start')?.hook as ($: ModApi, e: unknown, next: unknown) => Promise<unknown>)($, { cwd: state.cwd }, next);
    },
    toolCall: async (e) => {
      const result = await (hooks.get('tool.call')?.hook as ($: ModApi, e: unknown, next: unknown) => Promise<unknown>)($, e, next);
      return result === passed ? 'passed' : (result as { deny: string });
    },
    toolCallFailed: async (e, kind) => {
      const failed = Object.assign(async () => passed, { error: { kind } });
      return (await (hooks.get('tool.call')?.onError as ($: ModApi, e: unknown, next: unknown) => Promise<unknown>)($, e, failed)) as ToolCallResult;
    },
  };
}

/** The ids the module named in its marker file, newest first. */
export function judgedIds(pluginData: string, sessionId: string): string[] {
  try {
    return readFileSync(join(pluginData, 'judged', sessionId), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
