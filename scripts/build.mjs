// Builds the self-contained bundles: dist/hook.cjs (hot path, kept small), dist/cli.mjs, and what only the plugin
// runs, in dist/plugin/: the hooks module (fanout-hooks.mjs) and the plugin's PreToolUse command hook.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = { hook: join(root, 'dist/hook.cjs'), cli: join(root, 'dist/cli.mjs'), mod: join(root, 'dist/plugin/fanout-hooks.mjs') };

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function upToDate() {
  if (!Object.values(outputs).every(existsSync)) return false;
  const built = Math.min(...Object.values(outputs).map((p) => statSync(p).mtimeMs));
  const inputs = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return built >= inputs;
}

if (process.argv.includes('--if-needed') && upToDate()) process.exit(0);

// CJS dependencies (gray-matter, simple-git) call require(); give the ESM bundle one.
const requireShim = "import { createRequire as __fanoutCreateRequire } from 'node:module'; const require = __fanoutCreateRequire(import.meta.url);";
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
};

// Stale chunks from an earlier build would otherwise pile up beside the new ones (hook.mjs: the ESM entry before hook.cjs).
rmSync(join(root, 'dist/hook-chunks'), { recursive: true, force: true });
rmSync(join(root, 'dist/hook.mjs'), { force: true });

// The hook's core: one CommonJS file that the small ESM entry compiles with a V8 code cache (see
// src/hooks/entry.ts). Code only some calls need (YAML, zod, plans) stays behind esbuild's lazy
// initialisers, so it is parsed but never run on ordinary calls.
const core = await build({
  ...common,
  format: 'cjs',
  entryPoints: [join(root, 'src/hooks/core.ts')],
  write: false,
  outfile: join(root, 'dist/hook-chunks/core.cjs'),
  minify: true,
  // The hook runs on every tool call: these must never leak into it.
  external: ['simple-git', 'execa', 'gray-matter'],
});
const coreText = core.outputFiles[0].contents;
// hook.cjs hands the core a require() that knows only these (see src/hooks/entry.ts).
const required = new Set([...Buffer.from(coreText).toString('utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
const unsupported = [...required].filter((id) => !['node:fs', 'node:fs/promises', 'node:os', 'node:path'].includes(id));
if (unsupported.length > 0) throw new Error(`the hook core requires ${unsupported.join(', ')}; add them to requireBuiltin in src/hooks/entry.ts and to this list`);
const coreName = `hook-chunks/core-${createHash('sha256').update(coreText).digest('hex').slice(0, 16)}.cjs`;
mkdirSync(join(root, 'dist/hook-chunks'), { recursive: true });
writeFileSync(join(root, 'dist', coreName), coreText);

// The hooks module runs in Claude Code's own runtime, not node: no node builtins, no require, no process. The hook
// code reaches files through an injected interface; node:path (the guard's posix path) becomes path-browserify,
// which is node's posix path code. Minified: the loader checks the module's source before every session.
rmSync(join(root, 'dist/plugin'), { recursive: true, force: true });
const mod = await build({
  ...common,
  platform: 'neutral',
  mainFields: ['main', 'module'],
  entryPoints: [join(root, 'src/mod/register.ts')],
  outfile: outputs.mod,
  alias: { 'node:path': 'path-browserify' },
  minify: true,
  write: false,
});
const modText = Buffer.from(mod.outputFiles[0].contents).toString('utf8');
// Globals only node has would throw there, on whichever rare path reaches them. (path-browserify's resolve() falls
// back to process.cwd() for relative input; the hook code resolves absolute paths only. `$.process` is the module API.)
const nodeOnly = [...modText.matchAll(/(?<![\w$.])(?:process\.(?!cwd\(\))|Buffer\.|require\()|\bfrom\s*["']node:/g)].map((m) => m[0]);
if (nodeOnly.length > 0) throw new Error(`the hooks module uses what Claude Code's runtime lacks: ${[...new Set(nodeOnly)].join(', ')}`);
mkdirSync(join(root, 'dist/plugin'), { recursive: true });
writeFileSync(outputs.mod, modText);
cpSync(join(root, 'src/mod/pre-tool-use.sh'), join(root, 'dist/plugin/pre-tool-use.sh'));

await Promise.all([
  build({
    ...common,
    format: 'cjs',
    entryPoints: [join(root, 'src/hooks/entry.ts')],
    outfile: outputs.hook,
    define: { FANOUT_HOOK_CORE: JSON.stringify(coreName) },
  }),
  build({
    ...common,
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: outputs.cli,
    banner: { js: `#!/usr/bin/env node\n${requireShim}` },
  }),
]);

// This repository dogfoods its own per-repo install: keep .claude/fanout in step with dist.
const dogfood = join(root, '.claude/fanout');
if (existsSync(dogfood)) {
  // Only the bundles: other files there (init's install record) belong to the installer.
  for (const name of ['hook.mjs', 'hook.cjs', 'cli.mjs', 'hook-chunks']) rmSync(join(dogfood, name), { recursive: true, force: true });
  mkdirSync(dogfood, { recursive: true });
  for (const name of ['hook.cjs', 'cli.mjs', 'hook-chunks']) cpSync(join(root, 'dist', name), join(dogfood, name), { recursive: true });
  // init's record lists the bundle files for uninstall; the core's name changes with its content.
  const recordPath = join(dogfood, 'install.json');
  if (existsSync(recordPath)) {
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    const chunks = readdirSync(join(dogfood, 'hook-chunks')).map((name) => `.claude/fanout/hook-chunks/${name}`);
    record.bundle = ['.claude/fanout/hook.cjs', '.claude/fanout/cli.mjs', ...chunks].sort();
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  }
}
