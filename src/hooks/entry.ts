// dist/hook.mjs: the file Claude Code runs on every hook event. It compiles the bundled core with a V8 code
// cache kept per user: parsing ~300 KB of JavaScript was most of the hook's cost over a bare node start.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch } from 'node:process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { runHook as RunHook } from './core.js';

/** `hook-chunks/core-<content hash>.cjs`, set by scripts/build.mjs: the name alone says which code a cache belongs to. */
declare const FANOUT_HOOK_CORE: string;

const core = fileURLToPath(new URL(`./${FANOUT_HOOK_CORE}`, import.meta.url));
const env = process.env;
const cacheRoot = env['FANOUT_HOOK_CACHE'] === '0' ? undefined : env['XDG_CACHE_HOME'] || (env['HOME'] ? `${env['HOME']}/.cache` : undefined);
const cacheFile = cacheRoot && `${cacheRoot}/fanout/${FANOUT_HOOK_CORE.replace(/^.*\//, '').replace(/\.cjs$/, '')}-${process.version}-${arch}.v8`;

let cachedData: Buffer | undefined;
if (cacheFile) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // First run for this build and node: compiled from source, cached below.
  }
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(core, 'utf8')}\n})`, {
  filename: core,
  ...(cachedData ? { cachedData } : {}),
});
const module = { exports: {} as { runHook: typeof RunHook } };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(core), module, core, dirname(core));

const result = await module.exports.runHook(process.argv.slice(2), undefined, env);
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.exitCode;

// After the run, so the cache also holds the functions this call compiled; written atomically for concurrent hooks.
if (cacheFile && (cachedData === undefined || script.cachedDataRejected === true)) {
  try {
    mkdirSync(`${cacheRoot}/fanout`, { recursive: true });
    const temp = `${cacheFile}.${process.pid}`;
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  } catch {
    // A read-only home: the hook still works, only slower.
  }
}
