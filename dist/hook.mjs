// src/hooks/entry.ts
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { arch } from "node:process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
var core = fileURLToPath(new URL(`./${"hook-chunks/core-9bb62fae84e12459.cjs"}`, import.meta.url));
var env = process.env;
var cacheRoot = env["FANOUT_HOOK_CACHE"] === "0" ? void 0 : env["XDG_CACHE_HOME"] || (env["HOME"] ? `${env["HOME"]}/.cache` : void 0);
var cacheFile = cacheRoot && `${cacheRoot}/fanout/${"hook-chunks/core-9bb62fae84e12459.cjs".replace(/^.*\//, "").replace(/\.cjs$/, "")}-${process.version}-${arch}.v8`;
var cachedData;
if (cacheFile) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
  }
}
var script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(core, "utf8")}
})`, {
  filename: core,
  ...cachedData ? { cachedData } : {}
});
var module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(core), module, core, dirname(core));
var result = await module.exports.runHook(process.argv.slice(2), void 0, env);
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
if (cacheFile && (cachedData === void 0 || script.cachedDataRejected === true)) {
  try {
    mkdirSync(`${cacheRoot}/fanout`, { recursive: true });
    const temp = `${cacheFile}.${process.pid}`;
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  } catch {
  }
}
