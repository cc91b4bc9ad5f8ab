// The project's package manager, from its lockfile (pure): npm, pnpm, yarn or bun, at the version
// package.json's packageManager field pins, and the install that reproduces the lockfile exactly (it
// never rewrites it: a batch whose manifest and lockfile disagree fails validation, as it would in CI).

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

export const LOCKFILES: Readonly<Record<string, PackageManagerName>> = {
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'pnpm-lock.yaml': 'pnpm',
  'yarn.lock': 'yarn',
  'bun.lock': 'bun',
  'bun.lockb': 'bun',
};

/** Files whose change means the installed dependencies may no longer match. */
export const DEPENDENCY_FILES: ReadonlySet<string> = new Set(['package.json', ...Object.keys(LOCKFILES), 'pnpm-workspace.yaml', '.npmrc', '.yarnrc.yml']);

export interface PackageManager {
  name: PackageManagerName;
  /** The lockfile it was detected from; null: none (npm by default). */
  lockfile: string | null;
  /** The version package.json's packageManager field pins, if it names this manager. */
  version: string | null;
}

/** lockfiles: the lockfile names present in the project's directory. */
export function detectPackageManager(lockfiles: readonly string[], packageManagerField: unknown): PackageManager {
  const lockfile = Object.keys(LOCKFILES).find((name) => lockfiles.includes(name)) ?? null;
  const pin = typeof packageManagerField === 'string' ? /^(npm|pnpm|yarn|bun)@(\d[^+\s]*)/.exec(packageManagerField) : null;
  const name = lockfile !== null ? (LOCKFILES[lockfile] as PackageManagerName) : ((pin?.[1] as PackageManagerName | undefined) ?? 'npm');
  return { name, lockfile, version: pin && pin[1] === name ? (pin[2] ?? null) : null };
}

/** Whether any changed path is a manifest, lockfile or package-manager config. */
export function changesDependencies(changedFiles: readonly string[]): boolean {
  return changedFiles.some((file) => DEPENDENCY_FILES.has(file.slice(file.lastIndexOf('/') + 1)));
}

/** The arguments of an install that follows the lockfile exactly (after the program). */
export function installArgs(pm: PackageManager): string[] {
  const frozen = pm.lockfile !== null;
  switch (pm.name) {
    case 'npm':
      return frozen ? ['ci', '--prefer-offline', '--no-audit', '--no-fund'] : ['install', '--no-package-lock', '--no-audit', '--no-fund'];
    case 'pnpm':
      return ['install', '--prefer-offline', frozen ? '--frozen-lockfile' : '--no-lockfile'];
    case 'yarn':
      // Yarn 2+ (berry) spells it --immutable; 1.x --frozen-lockfile.
      return pm.version !== null && !pm.version.startsWith('1.') ? ['install', '--immutable'] : ['install', '--prefer-offline', ...(frozen ? ['--frozen-lockfile'] : [])];
    case 'bun':
      return ['install', ...(frozen ? ['--frozen-lockfile'] : [])];
  }
}

/**
 * The whole command: the version the project pins, fetched by npm (which comes with node) unless it is
 * Yarn 2+, which only corepack distributes; else the manager on PATH, else a working one fetched by npm.
 * (Corepack is not the first choice: the one bundled with Node 20 rejects current registry signatures.)
 */
export function installCommand(pm: PackageManager, onPath: (program: string) => boolean): string[] {
  const args = installArgs(pm);
  if (pm.name === 'npm') return ['npm', ...args];
  const berry = pm.name === 'yarn' && pm.version !== null && !pm.version.startsWith('1.');
  if (pm.version !== null && !berry) return ['npm', 'exec', '--yes', `--package=${pm.name}@${pm.version}`, '--', pm.name, ...args];
  if (berry && onPath('corepack')) return ['corepack', `yarn@${pm.version}`, ...args];
  if (onPath(pm.name)) return [pm.name, ...args];
  return ['npm', 'exec', '--yes', `--package=${pm.name}`, '--', pm.name, ...args];
}

/** The install to suggest to a person: the manager's own words (npm ci with a lockfile). */
export function suggestedInstall(pm: PackageManager): string[] {
  return [pm.name, pm.name === 'npm' && pm.lockfile !== null ? 'ci' : 'install'];
}
