// Finds the built bundles to copy: the directory of the running cli.mjs, or the package's dist/ from sources.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files a complete build has; hook.cjs loads its core from hook-chunks/. */
export const BUNDLE_ENTRIES = ['hook.cjs', 'cli.mjs'] as const;

/** What only the plugin runs (the hooks module and its command hook): a per-repo install copies the rest. */
export const PLUGIN_ONLY_DIR = 'plugin';

/** The files of a build that a per-repo install copies to .claude/fanout/, relative to the build dir. */
export function perRepoFiles(files: readonly string[]): string[] {
  return files.filter((file) => !file.startsWith(`${PLUGIN_ONLY_DIR}/`));
}

export function isDistDir(dir: string): boolean {
  return BUNDLE_ENTRIES.every((name) => existsSync(join(dir, name)));
}

/** `here`: the URL of the running module (bundled: dist/cli.mjs; from sources: src/install/locate-dist.ts). */
export function locateDist(here: string = import.meta.url): string | undefined {
  const start = dirname(fileURLToPath(here));
  if (isDistDir(start)) return start;
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'fanout') {
          const dist = join(dir, 'dist');
          return isDistDir(dist) ? dist : undefined;
        }
      } catch {
        // Not ours: keep walking up.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
