// A real npm install from the registry, made once per machine and reused: package.json, package-lock.json
// and node_modules of pinned, dependency-free packages, for the tests that need installed dependencies.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_DEPENDENCIES = { 'is-number': '7.0.0' };

/** The installed project's directory (package.json, package-lock.json, node_modules). */
export function npmFixture(): string {
  const root = join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'fanout-test');
  const dir = join(root, `npm-${Object.entries(FIXTURE_DEPENDENCIES).map(([name, version]) => `${name}@${version}`).join('+')}`);
  if (existsSync(join(dir, 'node_modules', '.package-lock.json'))) return dir;
  mkdirSync(root, { recursive: true });
  // Installed aside and renamed into place: two test files may get here at once.
  const temp = mkdtempSync(join(root, 'npm-install-'));
  writeFileSync(join(temp, 'package.json'), `${JSON.stringify({ name: 'fixture', version: '1.0.0', private: true, dependencies: FIXTURE_DEPENDENCIES }, null, 2)}\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: temp, stdio: 'pipe', timeout: 120_000 });
  try {
    renameSync(temp, dir);
  } catch {
    rmSync(temp, { recursive: true, force: true });
  }
  return dir;
}

/** Copies the installed project into dir (symlinks kept as symlinks). */
export function copyNpmFixture(dir: string): void {
  const from = npmFixture();
  for (const name of ['package.json', 'package-lock.json', 'node_modules']) cpSync(join(from, name), join(dir, name), { recursive: true, verbatimSymlinks: true });
}
