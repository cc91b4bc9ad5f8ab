"use strict";

// src/hooks/entry.ts
var getBuiltin = process.getBuiltinModule?.bind(process);
var builtin = (id) => getBuiltin ? getBuiltin(id) : require(id);
var fs = builtin("node:fs");
var os = builtin("node:os");
var path = builtin("node:path");
var { Script } = builtin("node:vm");
function requireBuiltin(id) {
  switch (id) {
    case "node:fs":
      return fs;
    case "node:fs/promises":
      return fs.promises;
    case "node:os":
      return os;
    case "node:path":
      return path;
    default:
      throw new Error(`the fanout hook core asked for '${id}', which hook.cjs does not provide; rebuild fanout`);
  }
}
function emit(fd, text) {
  const data = Buffer.from(text);
  for (let offset = 0; offset < data.length; ) {
    try {
      offset += fs.writeSync(fd, data, offset);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
      (fd === 1 ? process.stdout : process.stderr).write(data.subarray(offset));
      return;
    }
  }
}
var core = path.join(__dirname, "hook-chunks/core-35ba4432f1633d66.cjs");
var env = process.env;
var cacheRoot = env["FANOUT_HOOK_CACHE"] === "0" ? void 0 : env["XDG_CACHE_HOME"] || (env["HOME"] ? `${env["HOME"]}/.cache` : void 0);
var cacheFile = cacheRoot && `${cacheRoot}/fanout/${path.basename("hook-chunks/core-35ba4432f1633d66.cjs", ".cjs")}-${process.version}-${process.arch}.v8`;
var cachedData;
if (cacheFile) {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
  }
}
var script = new Script(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(core, "utf8")}
})`, {
  filename: core,
  ...cachedData ? { cachedData } : {}
});
var coreModule = { exports: {} };
script.runInThisContext()(coreModule.exports, requireBuiltin, coreModule, core, path.dirname(core));
void coreModule.exports.runHook(process.argv.slice(2), void 0, env).then((result) => {
  if (result.stdout) emit(1, result.stdout);
  if (result.stderr) emit(2, result.stderr);
  process.exitCode = result.exitCode;
  if (cacheFile && (cachedData === void 0 || script.cachedDataRejected === true)) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const temp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
    } catch {
    }
  }
});
