// Before any agent starts: a project that declares JavaScript dependencies (a lockfile, or a package.json
// that lists some) whose main checkout has none installed would give every worktree none either, and its
// validation would fail confusingly or, worse, pass against whatever npx downloads. Say so, with the fix.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectPackageManager, LOCKFILES, suggestedInstall, type PackageManager } from './package-manager.js';
import type { ProvisionItem } from './plan-provision.js';

export interface ProjectDependencies {
  /** package.json parsed, if there is one at the repo root. */
  manifest: Record<string, unknown> | undefined;
  /** Lockfile names at the repo root. */
  lockfiles: string[];
  /** Whether the main checkout has node_modules at its root. */
  installed: boolean;
}

export function readProjectDependencies(repoRoot: string): ProjectDependencies {
  let manifest: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) manifest = value as Record<string, unknown>;
  } catch {
    manifest = undefined;
  }
  return { manifest, lockfiles: Object.keys(LOCKFILES).filter((name) => existsSync(join(repoRoot, name))), installed: existsSync(join(repoRoot, 'node_modules')) };
}

export function projectPackageManager(project: ProjectDependencies): PackageManager | null {
  if (project.manifest === undefined && project.lockfiles.length === 0) return null;
  return detectPackageManager(project.lockfiles, project.manifest?.['packageManager']);
}

export interface MissingDependencies {
  manager: PackageManager;
  /** What declares them: the lockfile, or package.json. */
  declaredBy: string;
  /** The install to run in the main checkout. */
  install: string[];
}

/** Declared but not installed in the main checkout (so no worktree would get them); null when fine. */
export function findMissingDependencies(project: ProjectDependencies): MissingDependencies | null {
  const manager = projectPackageManager(project);
  if (manager === null || project.installed) return null;
  const fields = ['dependencies', 'devDependencies', 'optionalDependencies'];
  const declares = fields.some((field) => {
    const deps = project.manifest?.[field];
    return typeof deps === 'object' && deps !== null && Object.keys(deps).length > 0;
  });
  if (manager.lockfile === null && !declares) return null;
  return { manager, declaredBy: manager.lockfile ?? 'package.json', install: suggestedInstall({ ...manager, lockfile: null }) };
}

/** Whether the worktrees will have the dependencies the main checkout has (provisioned, not skipped). */
export function carriesNodeModules(items: readonly ProvisionItem[]): boolean {
  return items.some((item) => item.path === 'node_modules');
}
