// dist/hook.cjs: the file Claude Code runs on every hook event. CommonJS on purpose: an ESM entry makes node start
// its ESM loader, which cost more than all of fanout's own work on a call (measured: ~35 ms of CPU against ~7 ms).
// It compiles the bundled core with a V8 code cache kept per user (parsing ~300 KB of JavaScript was most of the
// rest), and loads as little of node as it can: no process.stdout stream, no module loader, no ESM facades.
import type * as Fs from 'node:fs';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type * as Vm from 'node:vm';
import type { runHook as RunHook } from './core.js';

// process.getBuiltinModule (node >= 20.16) hands over node's own module objects without the module loader.
const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.bind(process);
const builtin = <T>(id: string): T => (getBuiltin ? getBuiltin(id) : require(id)) as T;
const fs = builtin<typeof Fs>('node:fs');
const os = builtin<typeof Os>('node:os');
const path = builtin<typeof Path>('node:path');
const { Script } = builtin<typeof Vm>('node:vm');

/** `hook-chunks/core-<content hash>.cjs`, set by scripts/build.mjs: the name alone says which code a cache belongs to. */
declare const FANOUT_HOOK_CORE: string;

/** The core's require(): only these builtins; scripts/build.mjs fails the build when the core asks for another. */
function requireBuiltin(id: string): unknown {
  switch (id) {
    case 'node:fs':
      return fs;
    case 'node:fs/promises':
      // On demand: the getter loads node's stream machinery.
      return fs.promises;
    case 'node:os':
      return os;
    case 'node:path':
      return path;
    default:
      throw new Error(`the fanout hook core asked for '${id}', which hook.cjs does not provide; rebuild fanout`);
  }
}

/** Writes all of text to fd 1/2 synchronously, without creating process.stdout's stream. */
function emit(fd: 1 | 2, text: string): void {
  const data = Buffer.from(text);
  for (let offset = 0; offset < data.length; ) {
    try {
      offset += fs.writeSync(fd, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      (fd === 1 ? process.stdout : process.stderr).write(data.subarray(offset));
      return;
    }
  }
}

const core = path.join(__dirname, FANOUT_HOOK_CORE);
const env = process.env;
const cacheRoot = env['FANOUT_HOOK_CACHE'] === '0' ? undefined : env['XDG_CACHE_HOME'] || (env['HOME'] ? `${env['HOME']}/.cache` : undefined);
const cacheFile = cacheRoot && `${cacheRoot}/fanout/${path.basename(FANOUT_HOOK_CORE, '.cjs')}-${process.version}-${process.arch}.v8`;

let cachedData: Buffer | undefined;
if (cacheFile) {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // First run for this build and node: compiled from source, cached below.
  }
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(core, 'utf8')}\n})`, {
  filename: core,
  ...(cachedData ? { cachedData } : {}),
});
const coreModule = { exports: {} as { runHook: typeof RunHook } };
(script.runInThisContext() as (...args: unknown[]) => void)(coreModule.exports, requireBuiltin, coreModule, core, path.dirname(core));

void coreModule.exports.runHook(process.argv.slice(2), undefined, env).then((result) => {
  if (result.stdout) emit(1, result.stdout);
  if (result.stderr) emit(2, result.stderr);
  process.exitCode = result.exitCode;
  // After the run, so the cache also holds the functions this call compiled; written atomically for concurrent hooks.
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected === true)) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const temp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
    } catch {
      // A read-only home: the hook still works, only slower.
    }
  }
});
