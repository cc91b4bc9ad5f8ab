// Builds the self-contained bundles, dist/hook.cjs (hot path, kept small) and dist/cli.mjs, and what only the plugin
// runs, in dist/plugin/ (the hooks module fanout-hooks.mjs and the PreToolUse command hook); then writes the plugin
// Claude Code installs (plugin/, from src/install/plugin-layout.ts) and the generated plugin files at the root.
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

if (!(process.argv.includes('--if-needed') && upToDate())) await buildBundles();
// Always (it is quick and writes only what changed): plugin/ also copies files that are not built from src/.
await writePluginLayout();

async function buildBundles() {
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
      // Halves the file every install copies (npm package, plugin, each repo's .claude/fanout). Names are kept: the CLI
      // never prints a stack trace, but error classes are told apart by name.
      minify: true,
      keepNames: true,
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
}

/** Every file under `path` (a file gives itself, as ''), relative and '/'-separated, with its bytes. */
function readTree(path) {
  if (!statSync(path).isDirectory()) return new Map([['', readFileSync(path)]]);
  const files = new Map();
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    for (const [rel, bytes] of readTree(join(path, entry.name))) files.set(rel === '' ? entry.name : `${entry.name}/${rel}`, bytes);
  }
  return files;
}

/** Writes a file only when its bytes differ, so an unchanged build leaves files and mtimes alone. */
function writeIfChanged(path, bytes) {
  if (existsSync(path) && readFileSync(path).equals(bytes)) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** Removes files under dir that `keep` (relative paths) does not list, then the directories left empty. */
function removeOthers(dir, keep, rel = '') {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      removeOthers(path, keep, relPath);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (!keep.has(relPath)) rmSync(path);
  }
}

/** The files of a layout entry: relative path → bytes (a `from` directory expands to its files). */
function entryFiles(file) {
  if ('text' in file) return new Map([[file.path, Buffer.from(file.text)]]);
  const source = join(root, file.from);
  if (!existsSync(source)) throw new Error(`src/install/plugin-layout.ts lists ${file.from} (for ${file.path}), which does not exist: build it into the repository first`);
  return new Map([...readTree(source)].map(([rel, bytes]) => [rel === '' ? file.path : `${file.path}/${rel}`, bytes]));
}

// plugin/ holds exactly the files src/install/plugin-layout.ts lists; the root gets those marked `root` (it is a
// plugin too, for --plugin-dir) and the marketplace. The layout module is TypeScript: bundle it, then import it.
async function writePluginLayout() {
  const bundled = await build({ entryPoints: [join(root, 'src/install/plugin-layout.ts')], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'warning' });
  const layout = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].contents).toString('base64')}`);
  const pluginDir = join(root, layout.PLUGIN_DIR);
  const files = layout.pluginFiles();

  const inPlugin = new Map();
  for (const file of files) for (const [path, bytes] of entryFiles(file)) inPlugin.set(path, bytes);
  for (const [path, bytes] of inPlugin) writeIfChanged(join(pluginDir, path), bytes);
  removeOthers(pluginDir, new Set(inPlugin.keys()));

  const atRoot = new Map();
  for (const file of files.filter((f) => f.root && !('from' in f && f.from === f.path))) for (const [path, bytes] of entryFiles(file)) atRoot.set(path, bytes);
  for (const file of layout.marketplaceFiles()) atRoot.set(file.path, Buffer.from(file.text));
  for (const [path, bytes] of atRoot) writeIfChanged(join(root, path), bytes);
  // A renamed or dropped command must not linger at the root either.
  removeOthers(join(root, 'commands'), new Set([...atRoot.keys()].filter((p) => p.startsWith('commands/')).map((p) => p.slice('commands/'.length))));
}
