// The pure parts of provisioning: what to carry, how each entry is made, the package manager and its
// install, missing dependencies, untracked paths in the way, port blocks, the excludes file's patterns.
import { describe, expect, it } from 'vitest';
import { candidateBlocks, portEnv, PORT_BLOCK_SIZE, PORT_RANGE } from '../../../src/orchestrate/allocate-ports.js';
import { findUntrackedCollisions } from '../../../src/orchestrate/find-untracked-collisions.js';
import { findMissingDependencies, type ProjectDependencies } from '../../../src/orchestrate/provision/check-dependencies.js';
import { entryAction, retargetLink, retargetText } from '../../../src/orchestrate/provision/entry-action.js';
import { excludeEnv, excludePattern } from '../../../src/orchestrate/provision/exclude-file.js';
import { changesDependencies, detectPackageManager, installCommand, suggestedInstall } from '../../../src/orchestrate/provision/package-manager.js';
import { planProvision, provisionSettings, type ProvisionSettings } from '../../../src/orchestrate/provision/plan-provision.js';

const AUTO: ProvisionSettings = { how: 'auto', dirs: [], skip: [] };

describe('planProvision', () => {
  const ignored = ['node_modules/', 'packages/a/node_modules/', 'packages/b/node_modules/', '.venv/', 'venv/', 'dist/', 'debug.log', '.turbo/', '.env.local'];
  it('carries every node_modules (workspaces too), .venv and venv, not other ignored paths', () => {
    expect(planProvision({ ignored, included: [] }, AUTO)).toEqual([
      { path: '.venv', kind: 'dir', why: 'dependencies' },
      { path: 'node_modules', kind: 'dir', why: 'dependencies' },
      { path: 'packages/a/node_modules', kind: 'dir', why: 'dependencies' },
      { path: 'packages/b/node_modules', kind: 'dir', why: 'dependencies' },
      { path: 'venv', kind: 'dir', why: 'dependencies' },
    ]);
  });
  it('adds listed ignored paths and .worktreeinclude entries, drops skipped ones and items inside others', () => {
    const items = planProvision({ ignored, included: ['.env.local', 'node_modules/', 'config/secrets/', 'config/secrets/a.json'] }, { how: 'hardlink', dirs: ['.turbo'], skip: ['packages/b/**', 'venv'] });
    expect(items.map((item) => `${item.path} ${item.kind} ${item.why}`)).toEqual([
      '.env.local file .worktreeinclude',
      '.turbo dir listed',
      '.venv dir dependencies',
      'config/secrets dir .worktreeinclude',
      'node_modules dir dependencies',
      'packages/a/node_modules dir dependencies',
    ]);
  });
  it('carries nothing with none', () => {
    expect(planProvision({ ignored, included: ['.env.local'] }, { ...AUTO, how: 'none' })).toEqual([]);
  });
  it('reads orchestrate.provision as a how or an object', () => {
    expect(provisionSettings(undefined)).toEqual(AUTO);
    expect(provisionSettings('copy')).toEqual({ ...AUTO, how: 'copy' });
    expect(provisionSettings({ dirs: ['.turbo'] })).toEqual({ how: 'auto', dirs: ['.turbo'], skip: [] });
  });
});

describe('entryAction', () => {
  it.each([
    ['node_modules/lodash/lodash.js', 'file', 'carry'],
    ['node_modules/.package-lock.json', 'file', 'copy'],
    ['packages/a/node_modules/.modules.yaml', 'file', 'copy'],
    ['node_modules/.pnpm/lock.yaml', 'file', 'copy'],
    ['node_modules/.bin/vitest', 'file', 'rewrite'],
    ['node_modules/.bin/vitest', 'symlink', 'carry'],
    ['node_modules/.cache', 'dir', 'skip'],
    ['node_modules/.vite', 'dir', 'skip'],
    ['node_modules/foo/.cache', 'dir', 'carry'],
    ['.venv/bin/pytest', 'file', 'rewrite'],
    ['.venv/pyvenv.cfg', 'file', 'rewrite'],
    ['.venv/lib/python3.11/site-packages/x.py', 'file', 'carry'],
    ['tools/bin/run', 'file', 'carry'],
  ] as const)('%s (%s) → %s', (path, kind, action) => expect(entryAction(path, kind)).toBe(action));

  it('retargets whole path prefixes only', () => {
    expect(retargetText('#!/repo/.venv/bin/python\nVIRTUAL_ENV="/repo/.venv"\n', '/repo', '/wt/a')).toBe('#!/wt/a/.venv/bin/python\nVIRTUAL_ENV="/wt/a/.venv"\n');
    expect(retargetText('exec node "/repo2/x"', '/repo', '/wt')).toBeNull();
    expect(retargetText('no paths here', '/repo', '/wt')).toBeNull();
    expect(retargetLink('/repo/node_modules/.pnpm/x', '/repo', '/wt')).toBe('/wt/node_modules/.pnpm/x');
    expect(retargetLink('/repository/x', '/repo', '/wt')).toBe('/repository/x');
    expect(retargetLink('../.pnpm/x', '/repo', '/wt')).toBe('../.pnpm/x');
  });
});

describe('package managers', () => {
  const everywhere = () => true;
  const nowhere = () => false;
  it('are detected from the lockfile, the pin read from packageManager', () => {
    expect(detectPackageManager(['pnpm-lock.yaml'], 'pnpm@9.12.0+sha512.abc')).toEqual({ name: 'pnpm', lockfile: 'pnpm-lock.yaml', version: '9.12.0' });
    expect(detectPackageManager(['package-lock.json'], undefined)).toEqual({ name: 'npm', lockfile: 'package-lock.json', version: null });
    expect(detectPackageManager(['yarn.lock'], 'yarn@4.1.0').version).toBe('4.1.0');
    expect(detectPackageManager(['bun.lockb'], 'pnpm@9.0.0')).toEqual({ name: 'bun', lockfile: 'bun.lockb', version: null });
    expect(detectPackageManager([], 'pnpm@8.15.0')).toEqual({ name: 'pnpm', lockfile: null, version: '8.15.0' });
    expect(detectPackageManager([], undefined).name).toBe('npm');
  });
  it('install exactly what the lockfile says, with the pinned version', () => {
    expect(installCommand({ name: 'npm', lockfile: 'package-lock.json', version: null }, nowhere)).toEqual(['npm', 'ci', '--prefer-offline', '--no-audit', '--no-fund']);
    expect(installCommand({ name: 'pnpm', lockfile: 'pnpm-lock.yaml', version: '9.12.0' }, everywhere)).toEqual(['npm', 'exec', '--yes', '--package=pnpm@9.12.0', '--', 'pnpm', 'install', '--prefer-offline', '--frozen-lockfile']);
    expect(installCommand({ name: 'pnpm', lockfile: 'pnpm-lock.yaml', version: null }, (p) => p === 'pnpm')).toEqual(['pnpm', 'install', '--prefer-offline', '--frozen-lockfile']);
    expect(installCommand({ name: 'pnpm', lockfile: 'pnpm-lock.yaml', version: null }, nowhere)).toEqual(['npm', 'exec', '--yes', '--package=pnpm', '--', 'pnpm', 'install', '--prefer-offline', '--frozen-lockfile']);
    expect(installCommand({ name: 'yarn', lockfile: 'yarn.lock', version: '4.1.0' }, everywhere)).toEqual(['corepack', 'yarn@4.1.0', 'install', '--immutable']);
    expect(installCommand({ name: 'yarn', lockfile: 'yarn.lock', version: '4.1.0' }, (p) => p === 'yarn')).toEqual(['yarn', 'install', '--immutable']);
    expect(installCommand({ name: 'yarn', lockfile: 'yarn.lock', version: null }, (p) => p === 'yarn')).toEqual(['yarn', 'install', '--prefer-offline', '--frozen-lockfile']);
    expect(installCommand({ name: 'bun', lockfile: 'bun.lock', version: null }, everywhere)).toEqual(['bun', 'install', '--frozen-lockfile']);
    expect(suggestedInstall({ name: 'npm', lockfile: 'package-lock.json', version: null })).toEqual(['npm', 'ci']);
    expect(suggestedInstall({ name: 'pnpm', lockfile: 'pnpm-lock.yaml', version: '9.12.0' })).toEqual(['pnpm', 'install']);
  });
  it('are needed again when a manifest, lockfile or package-manager config changes, anywhere in the tree', () => {
    expect(changesDependencies(['src/a.ts', 'packages/x/package.json'])).toBe(true);
    expect(changesDependencies(['pnpm-lock.yaml'])).toBe(true);
    expect(changesDependencies(['src/package.json.ts', 'docs/package-lock.md'])).toBe(false);
  });
});

describe('findMissingDependencies', () => {
  const project = (patch: Partial<ProjectDependencies>): ProjectDependencies => ({ manifest: { dependencies: { zod: '^4' } }, lockfiles: ['package-lock.json'], installed: false, ...patch });
  it('finds declared, uninstalled dependencies and names the install', () => {
    expect(findMissingDependencies(project({}))).toMatchObject({ declaredBy: 'package-lock.json', install: ['npm', 'install'] });
    expect(findMissingDependencies(project({ lockfiles: ['pnpm-lock.yaml'] }))).toMatchObject({ install: ['pnpm', 'install'] });
    expect(findMissingDependencies(project({ lockfiles: [] }))).toMatchObject({ declaredBy: 'package.json' });
  });
  it('is quiet when installed, when nothing is declared, or with no JavaScript project', () => {
    expect(findMissingDependencies(project({ installed: true }))).toBeNull();
    expect(findMissingDependencies(project({ manifest: { name: 'x', scripts: {} }, lockfiles: [] }))).toBeNull();
    expect(findMissingDependencies(project({ manifest: undefined, lockfiles: [] }))).toBeNull();
  });
});

describe('findUntrackedCollisions', () => {
  it('finds paths that are untracked files or lie in untracked or ignored directories', () => {
    expect(findUntrackedCollisions(['a.ts', 'dist/x.js', 'src/b.ts', 'notes.md'], ['notes.md', 'dist/', 'src/b.ts.bak'])).toEqual(['dist/x.js', 'notes.md']);
    expect(findUntrackedCollisions(['distribution/x'], ['dist/'])).toEqual([]);
  });
});

describe('port blocks', () => {
  it('are distinct, inside the range, below the ephemeral ports, and never hold a locked port', () => {
    const locked = new Set<number>();
    for (let port = PORT_RANGE[0] + 5; port < PORT_RANGE[1]; port += 20) locked.add(port);
    const blocks = [...candidateBlocks('20261124-161500-ab12', locked)].slice(0, 50);
    expect(new Set(blocks.map((block) => block.base)).size).toBe(50);
    for (const block of blocks) {
      expect(block.count).toBe(PORT_BLOCK_SIZE);
      expect(block.base).toBeGreaterThanOrEqual(PORT_RANGE[0]);
      expect(block.base + block.count).toBeLessThanOrEqual(32768);
      for (let port = block.base; port < block.base + block.count; port++) expect(locked.has(port)).toBe(false);
    }
  });
  it('start where the run id says, so two runs rarely meet', () => {
    const first = (seed: string) => candidateBlocks(seed, new Set()).next().value?.base;
    expect(first('20261124-161500-ab12')).toBe(first('20261124-161500-ab12'));
    expect(new Set(['a', 'b', 'c', 'd', 'e'].map(first)).size).toBeGreaterThan(1);
  });
  it('reach the environment as FANOUT_PORT_BASE, FANOUT_PORT_COUNT and PORT', () => {
    expect(portEnv({ base: 24310, count: 10 })).toEqual({ FANOUT_PORT_BASE: '24310', FANOUT_PORT_COUNT: '10', PORT: '24310' });
    expect(portEnv(null)).toEqual({});
  });
});

describe('the excludes file', () => {
  it('anchors each path and escapes what gitignore would read as a pattern', () => {
    expect(excludePattern('node_modules')).toBe('/node_modules\n');
    expect(excludePattern('generated/')).toBe('/generated\n');
    expect(excludePattern('#odd [name]*?.txt')).toBe('/\\#odd \\[name\\]\\*\\?.txt\n');
    expect(excludePattern('!bang ')).toBe('/\\!bang\\ \n');
  });
  it('is set through GIT_CONFIG_* after any the user has', () => {
    expect(excludeEnv('/x/a.exclude', {})).toEqual({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.excludesFile', GIT_CONFIG_VALUE_0: '/x/a.exclude' });
    expect(excludeEnv('/x/a.exclude', { GIT_CONFIG_COUNT: '2' })).toEqual({ GIT_CONFIG_COUNT: '3', GIT_CONFIG_KEY_2: 'core.excludesFile', GIT_CONFIG_VALUE_2: '/x/a.exclude' });
  });
});
