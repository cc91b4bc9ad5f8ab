// src/hooks/entry.ts
var getBuiltin = process.getBuiltinModule?.bind(process);
var builtin = async (id) => getBuiltin ? getBuiltin(id) : await import(id);
var fs = await builtin("node:fs");
var os = await builtin("node:os");
var path = await builtin("node:path");
var { fileURLToPath } = await builtin("node:url");
var { Script } = await builtin("node:vm");
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
      throw new Error(`the fanout hook core asked for '${id}', which hook.mjs does not provide; rebuild fanout`);
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
var core = fileURLToPath(new URL(`./${"hook-chunks/core-a2b5de003d399005.cjs"}`, import.meta.url));
var env = process.env;
var cacheRoot = env["FANOUT_HOOK_CACHE"] === "0" ? void 0 : env["XDG_CACHE_HOME"] || (env["HOME"] ? `${env["HOME"]}/.cache` : void 0);
var cacheFile = cacheRoot && `${cacheRoot}/fanout/${path.basename("hook-chunks/core-a2b5de003d399005.cjs", ".cjs")}-${process.version}-${process.arch}.v8`;
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
var module = { exports: {} };
script.runInThisContext()(module.exports, requireBuiltin, module, core, path.dirname(core));
var result = await module.exports.runHook(process.argv.slice(2), void 0, env);
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
