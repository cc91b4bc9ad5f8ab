// The edges of provisioning on the real filesystem: copying a tree the run's ways, the reflink probe,
// reserving port blocks around a port something listens on.
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { candidateBlocks, reservePortBlocks } from '../../../src/orchestrate/allocate-ports.js';
import { copyTree } from '../../../src/orchestrate/provision/copy-tree.js';
import { canReflink, resolveMethod } from '../../../src/orchestrate/provision/provision-worktree.js';
import { buildStore, hasGnuCp, linkFromStore } from '../../../src/orchestrate/provision/run-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A main checkout with a node_modules the way npm and pnpm leave them. */
function mainCheckout(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-tree-')));
  dirs.push(root, `${root}-wt`);
  const files: Record<string, string> = {
    'node_modules/.package-lock.json': '{"lockfileVersion":3}\n',
    'node_modules/.pnpm/left-pad@1.3.0/node_modules/left-pad/index.js': 'module.exports = 1;\n',
    'node_modules/.bin/left-pad': `#!/bin/sh\nexec node "${root}/node_modules/.pnpm/left-pad@1.3.0/node_modules/left-pad/index.js" "$@"\n`,
    'node_modules/.cache/babel/big.json': 'x'.repeat(1000),
    'node_modules/deep/a/b/c/d.js': 'd\n',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  chmodSync(join(root, 'node_modules/.bin/left-pad'), 0o755);
  utimesSync(join(root, 'node_modules/deep/a/b/c/d.js'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
  symlinkSync('.pnpm/left-pad@1.3.0/node_modules/left-pad', join(root, 'node_modules/left-pad'));
  symlinkSync(join(root, 'node_modules/deep'), join(root, 'node_modules/abs-deep'));
  symlinkSync('/usr/bin/env', join(root, 'node_modules/outside'));
  return root;
}

describe('copyTree', () => {
  it('hardlink: links package files, copies what package managers rewrite in place, rewrites shims, recreates symlinks, leaves caches', async () => {
    const main = mainCheckout();
    const wt = `${main}-wt`;
    mkdirSync(wt);
    const stats = await copyTree(join(main, 'node_modules'), join(wt, 'node_modules'), { method: 'hardlink', path: 'node_modules', policy: true, retarget: { from: main, to: wt } });
    const ino = (root: string, path: string) => statSync(join(root, path)).ino;
    expect(ino(wt, 'node_modules/deep/a/b/c/d.js')).toBe(ino(main, 'node_modules/deep/a/b/c/d.js'));
    expect(ino(wt, 'node_modules/.package-lock.json')).not.toBe(ino(main, 'node_modules/.package-lock.json'));
    expect(readFileSync(join(wt, 'node_modules/.package-lock.json'), 'utf8')).toBe('{"lockfileVersion":3}\n');
    expect(readFileSync(join(wt, 'node_modules/.bin/left-pad'), 'utf8')).toContain(`"${wt}/node_modules/.pnpm/`);
    expect(statSync(join(wt, 'node_modules/.bin/left-pad')).mode & 0o777).toBe(0o755);
    expect(existsSync(join(wt, 'node_modules/.cache'))).toBe(false);
    expect(lstatSync(join(wt, 'node_modules/left-pad')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(wt, 'node_modules/left-pad'))).toBe('.pnpm/left-pad@1.3.0/node_modules/left-pad');
    expect(readlinkSync(join(wt, 'node_modules/abs-deep'))).toBe(join(wt, 'node_modules/deep'));
    expect(readlinkSync(join(wt, 'node_modules/outside'))).toBe('/usr/bin/env');
    expect(stats).toMatchObject({ files: 4, symlinks: 3, copied: 2 });
  });

  it('copy: nothing shared with the source, times kept; a verbatim copy without the policy', async () => {
    const main = mainCheckout();
    const wt = `${main}-wt`;
    mkdirSync(wt);
    await copyTree(join(main, 'node_modules'), join(wt, 'node_modules'), { method: 'copy', path: 'node_modules', policy: false });
    expect(statSync(join(wt, 'node_modules/deep/a/b/c/d.js')).ino).not.toBe(statSync(join(main, 'node_modules/deep/a/b/c/d.js')).ino);
    expect(statSync(join(wt, 'node_modules/deep/a/b/c/d.js')).mtime.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    // Without the policy (the run's store): the cache and the shim as they are.
    expect(readFileSync(join(wt, 'node_modules/.cache/babel/big.json'), 'utf8')).toHaveLength(1000);
    expect(readFileSync(join(wt, 'node_modules/.bin/left-pad'), 'utf8')).toContain(`"${main}/node_modules/`);
    expect(readlinkSync(join(wt, 'node_modules/abs-deep'))).toBe(join(main, 'node_modules/deep'));
  });

  it('stops when aborted', async () => {
    const main = mainCheckout();
    const abort = new AbortController();
    abort.abort();
    await expect(copyTree(join(main, 'node_modules'), join(`${main}-wt`, 'node_modules'), { method: 'copy', path: 'node_modules', policy: true, signal: abort.signal })).rejects.toThrow('interrupted');
  });
});

describe('the run store', () => {
  for (const gnu of [true, false]) {
    it(`${gnu ? 'with GNU cp' : 'without GNU cp'}: worktrees share the store's inodes, never the main checkout's, and get their own copies, shims and links`, async () => {
      const main = mainCheckout();
      if (gnu && !(await hasGnuCp())) return;
      const item = { path: 'node_modules', kind: 'dir' as const, why: 'dependencies' as const };
      const built = await buildStore(main, [item], join(`${main}-wt`, '.store'));
      const store = { ...built, gnu: built.gnu && gnu };
      expect(store.files).toEqual({ node_modules: 4 });
      expect(store.manifest).toEqual({ own: ['node_modules/.package-lock.json'], shims: ['node_modules/.bin/left-pad'], links: [{ path: 'node_modules/abs-deep', target: join(main, 'node_modules/deep') }] });
      expect(existsSync(join(store.dir, 'node_modules/.cache'))).toBe(false);
      const wt = join(`${main}-wt`, 'a');
      mkdirSync(wt);
      expect(await linkFromStore(store, item, main, wt)).toBe(4);
      const ino = (root: string, path: string) => statSync(join(root, path)).ino;
      const file = 'node_modules/deep/a/b/c/d.js';
      expect(ino(wt, file)).toBe(ino(store.dir, file));
      expect(ino(wt, file)).not.toBe(ino(main, file));
      expect(ino(wt, 'node_modules/.package-lock.json')).not.toBe(ino(store.dir, 'node_modules/.package-lock.json'));
      // Exact with cp -p; to the millisecond through node's utimes.
      const mtime = (root: string) => statSync(join(root, 'node_modules/.package-lock.json'), { bigint: true }).mtimeNs;
      if (store.gnu) expect(mtime(wt)).toBe(mtime(main));
      else expect(Math.abs(Number(mtime(wt) - mtime(main))) / 1e6).toBeLessThan(1);
      expect(readFileSync(join(wt, 'node_modules/.bin/left-pad'), 'utf8')).toContain(`"${wt}/node_modules/.pnpm/`);
      expect(statSync(join(wt, 'node_modules/.bin/left-pad')).mode & 0o777).toBe(0o755);
      expect(readlinkSync(join(wt, 'node_modules/abs-deep'))).toBe(join(wt, 'node_modules/deep'));
      expect(readlinkSync(join(wt, 'node_modules/left-pad'))).toBe('.pnpm/left-pad@1.3.0/node_modules/left-pad');
      expect(existsSync(join(wt, 'node_modules/.cache'))).toBe(false);
    });
  }
});

describe('the way auto resolves', () => {
  it('is reflink where a clone into the worktrees directory works, else hardlink; reflink asked for where it does not is refused', async () => {
    const main = mainCheckout();
    const file = join(main, 'node_modules/deep/a/b/c/d.js');
    const clones = await canReflink(file, main);
    expect(await resolveMethod('auto', { file, dir: main })).toBe(clones ? 'reflink' : 'hardlink');
    if (clones) expect(await resolveMethod('reflink', { file, dir: main })).toBe('reflink');
    else await expect(resolveMethod('reflink', { file, dir: main })).rejects.toMatchObject({ code: 'provision-reflink-unsupported' });
    expect(await resolveMethod('none', { file, dir: main })).toBeNull();
    expect(await resolveMethod('copy', { file, dir: main })).toBe('copy');
    // The probe leaves nothing behind.
    expect(existsSync(join(main, `.fanout-reflink-probe-${process.pid}`))).toBe(false);
  });
});

describe('reservePortBlocks', () => {
  it('skips a block with a port something listens on', async () => {
    const seed = `test-${process.pid}-${Date.now()}`;
    const first = candidateBlocks(seed, new Set()).next().value;
    if (!first) throw new Error('no candidate block');
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(first.base + 3, '127.0.0.1', () => resolve());
    });
    try {
      const blocks = await reservePortBlocks(2, seed, new Set());
      expect(blocks).toHaveLength(2);
      expect(blocks.map((block) => block.base)).not.toContain(first.base);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
