// Bundles this repository's TypeScript for a plain-node bench script: one ESM file in a temp directory, built
// straight from src/ (or test/), so a bench always measures the code as it is, not the last build.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `exports` maps a repo-relative .ts path to what it re-exports (`'*'` or a list of names). Returns the bundle's
 * file URL (worker threads can import it too) and `remove()` to delete it once every importer has loaded it.
 */
export async function bundleSource(exports, name = 'bundle') {
  const out = mkdtempSync(join(tmpdir(), `fanout-bench-${name}-`));
  const contents = Object.entries(exports)
    .map(([path, names]) => `export ${names === '*' ? '*' : `{ ${names.join(', ')} }`} from ${JSON.stringify(join(ROOT, path))};`)
    .join('\n');
  const outfile = join(out, `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: join(out, 'entry.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return { url: pathToFileURL(outfile).href, remove: () => rmSync(out, { recursive: true, force: true }) };
}

/** bundleSource, imported at once and its file removed. */
export async function importSource(exports, name) {
  const bundle = await bundleSource(exports, name);
  try {
    return await import(bundle.url);
  } finally {
    bundle.remove();
  }
}
