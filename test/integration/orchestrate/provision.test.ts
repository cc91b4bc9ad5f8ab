// Ready worktrees with zero configuration, with real git and a real npm install from the registry: every
// worktree gets the main checkout's installed dependencies, nothing done in a worktree reaches the main
// checkout, what provisioning and setup create is never agent work, and dependencies follow the change.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { orchestrate } from '../../../src/orchestrate/index.js';
import { canReflink } from '../../../src/orchestrate/provision/provision-worktree.js';
import { FanoutError } from '../../../src/util/errors.js';
import { copyNpmFixture, npmFixture } from '../../helpers/npm-fixture.js';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { treeDigest } from '../../helpers/tree-digest.js';
import { agent, capture, chains, deleted, dispose, filesAt, markers, planText, readJson, repoWithPlan, ROOT, run, worktreeRoot, worktrees, type Task } from './helpers.js';

const CHECK_DEPS = `node ${join(ROOT, 'test', 'fixtures', 'scripts', 'check-deps.cjs')}`;
const THREE = chains(['api', 'web', 'cli'], 1).map((task) => ({ ...task, files: [task.files[0] ?? '', `${task.files[0]}.md`] }));

const repos: TempRepo[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const repo of repos.splice(0)) dispose(repo);
  for (const cleanup of cleanups.splice(0)) cleanup();
  delete process.env['FANOUT_TEST_MARKERS'];
});
// The registry is reached once per machine; later runs reuse the install.
beforeAll(() => void npmFixture(), 180_000);

/** A repo with the real npm install (node_modules ignored as usual) and a plan. */
function npmRepo(tasks: Task[], options: { validate?: string; files?: Record<string, string> } = {}) {
  const repo = repoWithPlan(planText('Provision', tasks, options.validate === undefined ? {} : { validate: options.validate }), { '.gitignore': 'node_modules/\n', ...options.files });
  copyNpmFixture(repo.dir);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'npm project');
  repos.push(repo);
  return repo;
}

function record(): string {
  const marks = markers();
  cleanups.push(marks.cleanup);
  process.env['FANOUT_TEST_MARKERS'] = marks.dir;
  return marks.dir;
}

describe('provisioning: zero configuration', () => {
  it('every worktree, batches and integration, gets working node_modules; none of it is committed; the main checkout is unchanged', async () => {
    const marks = record();
    const repo = npmRepo(THREE, { validate: `${CHECK_DEPS} --record ${marks}` });
    const before = treeDigest(join(repo.dir, 'node_modules'));
    const progress = capture();
    // The agent commits with `git add -A` itself: only the excludes keep node_modules out of its commit.
    const outcome = await run(repo, { agent: agent('tamper'), validate: undefined, force: true }, progress);
    expect(outcome.report.status, progress.text).toBe('merged');
    expect(progress.text).toContain('every worktree gets node_modules (orchestrate.provision: auto)');
    // Validated in each batch's worktree and in the integration worktree, each with is-number installed.
    const validated = readdirSync(marks).filter((name) => name.endsWith('.validate.json')).sort();
    expect(validated).toEqual(['api-1.validate.json', 'cli-1.validate.json', 'integration.validate.json', 'web-1.validate.json']);
    for (const name of validated) expect(readJson<{ missing: string[] }>(join(marks, name)).missing).toEqual([]);
    for (const batch of outcome.state.batches) {
      expect(batch.changedFiles.sort()).toEqual([...batch.files].sort());
      expect(batch.provision).toMatchObject({ items: ['node_modules'], method: expect.stringMatching(/^(hardlink|reflink)$/) });
    }
    expect(outcome.state.integration.provision?.items).toEqual(['node_modules']);
    expect(filesAt(repo, 'main').filter((file) => file.startsWith('node_modules'))).toEqual([]);
    await deleted(worktreeRoot(repo));
    expect(treeDigest(join(repo.dir, 'node_modules'))).toEqual(before);
  });

  it('refuses a project that declares dependencies but has none installed, with the fix; without validation it runs and says so', async () => {
    const repo = repoWithPlan(planText('No install', THREE), { 'package.json': readFileSync(join(npmFixture(), 'package.json'), 'utf8'), 'package-lock.json': readFileSync(join(npmFixture(), 'package-lock.json'), 'utf8') });
    repos.push(repo);
    const error = await orchestrate({ cwd: repo.dir, planPath: repo.plan, agent: agent('write-files'), validate: 'node -v', force: true }, { progress: capture(), tty: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FanoutError);
    expect((error as FanoutError).code).toBe('dependencies-missing');
    expect((error as FanoutError).message).toContain('declares dependencies (package-lock.json) but has none installed');
    expect((error as FanoutError).hint).toContain('`npm install`');
    expect(existsSync(worktreeRoot(repo))).toBe(false);
    const progress = capture();
    const outcome = await run(repo, { agent: agent('write-files'), validate: '', force: true }, progress);
    expect(outcome.report.status).toBe('merged');
    expect(progress.text).toContain('has none installed (no node_modules), so no worktree would have them');
  });
});

describe('provisioning: reflink asked for', () => {
  it('is refused before anything is created where the filesystem has no copy-on-write clones', async (context) => {
    const repo = npmRepo(THREE);
    if (await canReflink(join(repo.dir, 'package.json'), dirname(repo.dir))) context.skip();
    const error = await orchestrate({ cwd: repo.dir, planPath: repo.plan, agent: agent('write-files'), validate: '', provision: 'reflink', force: true }, { progress: capture(), tty: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'provision-reflink-unsupported', hint: expect.stringContaining('use auto') });
    expect(existsSync(worktreeRoot(repo))).toBe(false);
  });
});

describe('provisioning: isolation', () => {
  for (const how of ['auto', 'copy'] as const) {
    it(`${how}: an agent appending to a provisioned file and one running npm install leave the main checkout byte for byte unchanged`, async () => {
      record();
      const repo = npmRepo(THREE, { validate: CHECK_DEPS });
      const before = treeDigest(join(repo.dir, 'node_modules'));
      const lock = readFileSync(join(repo.dir, 'package-lock.json'));
      const append = await run(repo, { agent: agent('tamper', '--in', 'api-1', '--append', 'node_modules/is-number/index.js'), validate: undefined, provision: how, force: true });
      expect(append.report.status).toBe('merged');
      const install = await run(repo, { agent: agent('tamper', '--in', 'web-1', '--npm', 'install --no-save --no-audit --no-fund --prefer-offline is-odd@3.0.1'), validate: undefined, provision: how, force: true });
      expect(install.report.status).toBe('merged');
      await deleted(worktreeRoot(repo));
      expect(treeDigest(join(repo.dir, 'node_modules'))).toEqual(before);
      expect(readFileSync(join(repo.dir, 'package-lock.json'))).toEqual(lock);
      expect(existsSync(join(repo.dir, 'node_modules', 'is-odd'))).toBe(false);
    });
  }
});

describe('provisioning: setup output is never agent work', () => {
  it('a node_modules symlink .gitignore does not match, and what --setup creates or changes, stay out of every commit and check', async () => {
    const setup = join(ROOT, 'test', 'fixtures', 'scripts', 'setup-output.cjs');
    const repo = npmRepo(THREE, { validate: CHECK_DEPS, files: { 'config.json': '{}' } });
    const before = treeDigest(join(repo.dir, 'node_modules'));
    const progress = capture();
    const outcome = await run(repo, { agent: agent('tamper'), validate: undefined, provision: 'symlink', setup: `node ${setup}`, force: true }, progress);
    expect(outcome.report.status, progress.text).toBe('merged');
    expect(outcome.report.conflicts).toEqual([]);
    for (const batch of outcome.state.batches) {
      expect(batch.changedFiles.sort()).toEqual([...batch.files].sort());
      expect(filesAt(repo, batch.head ?? "").filter((file) => /^(node_modules|generated)/.test(file))).toEqual([]);
    }
    expect(repo.git('show', 'main:config.json')).toBe('{}');
    expect(progress.text).toContain('the setup command left config.json, generated/; not agent work');
    await deleted(worktreeRoot(repo));
    // Deleting the worktrees removed the symlinks, never what they point to.
    expect(treeDigest(join(repo.dir, 'node_modules'))).toEqual(before);
  });
});

describe('provisioning: dependencies follow the change', () => {
  it('a batch that adds a dependency is validated with it installed, and so is the merged result', async () => {
    record();
    const tasks: Task[] = [
      { id: 'deps', files: ['package.json', 'package-lock.json', 'src/odd.js'] },
      { id: 'other', files: ['src/other.js', 'src/other.md'] },
    ];
    const repo = npmRepo(tasks, { validate: CHECK_DEPS });
    const before = treeDigest(join(repo.dir, 'node_modules'));
    const progress = capture();
    const outcome = await run(repo, { agent: agent('add-dependency', '--in', 'deps', '--package', 'is-odd@3.0.1'), validate: undefined, force: true }, progress);
    const deps = outcome.state.batches.find((batch) => batch.id === 'deps');
    expect(outcome.report.status, `${progress.text}\n${deps?.install ? readFileSync(deps.install.log, 'utf8') : ''}`).toBe('merged');
    expect(deps?.install).toMatchObject({ ok: true, command: 'npm ci --prefer-offline --no-audit --no-fund' });
    expect(outcome.state.batches.find((batch) => batch.id === 'other')?.install ?? null).toBeNull();
    expect(outcome.state.integration.install).toMatchObject({ ok: true });
    expect(readFileSync(deps?.install?.log ?? '', 'utf8')).toContain('added');
    expect(JSON.parse(repo.git('show', 'main:package.json')).dependencies).toHaveProperty('is-odd');
    expect(outcome.summary).toContain(`The result changes the dependencies: run \`npm ci\` in ${repo.dir} to install them there.`);
    await deleted(worktreeRoot(repo));
    // fanout installs in worktrees only: the main checkout's node_modules is the user's to update.
    expect(treeDigest(join(repo.dir, 'node_modules'))).toEqual(before);
  });
});

describe('provisioning: a pnpm-style layout', () => {
  it('recreates symlinks as symlinks, points shims and absolute links at the worktree, and carries a node_modules that .worktreeinclude names', async () => {
    const marks = record();
    const check = join(ROOT, 'test', 'fixtures', 'scripts', 'check-pnpm-layout.cjs');
    const repo = repoWithPlan(planText('pnpm', THREE, { validate: `node ${check} --record ${marks}` }), { '.worktreeinclude': 'node_modules/\n' });
    repos.push(repo);
    const store = 'node_modules/.pnpm/left-pad@1.3.0/node_modules/left-pad';
    repo.write({
      [`${store}/package.json`]: '{"name":"left-pad","version":"1.3.0","main":"index.js"}\n',
      [`${store}/index.js`]: 'module.exports = (s, n) => String(s).padStart(n);\n',
      'node_modules/.modules.yaml': 'layoutVersion: 5\n',
      'node_modules/.bin/left-pad': `#!/bin/sh\nexec node "${repo.dir}/${store}/index.js" "$@"\n`,
    });
    symlinkSync('.pnpm/left-pad@1.3.0/node_modules/left-pad', join(repo.dir, 'node_modules/left-pad'));
    symlinkSync(join(repo.dir, store), join(repo.dir, 'node_modules/abs-left-pad'));
    const before = treeDigest(join(repo.dir, 'node_modules'));
    const progress = capture();
    const outcome = await run(repo, { agent: agent('tamper'), validate: undefined, force: true }, progress);
    expect(outcome.report.status, progress.text).toBe('merged');
    const seen = readdirSync(marks).filter((name) => name.endsWith('.layout.json'));
    expect(seen).toHaveLength(4);
    for (const name of seen) {
      const layout = readJson<Record<string, unknown>>(join(marks, name));
      expect(layout).toMatchObject({ required: '   x', symlink: true, shimPointsHere: true, absoluteLinkPointsHere: true, modulesYaml: 'layoutVersion: 5\n' });
    }
    // node_modules is untracked, not ignored, here: only the worktrees' excludes keep it out of the commits.
    for (const batch of outcome.state.batches) expect(batch.changedFiles.sort()).toEqual([...batch.files].sort());
    expect(filesAt(repo, 'main').filter((file) => file.startsWith('node_modules'))).toEqual([]);
    await deleted(worktreeRoot(repo));
    expect(treeDigest(join(repo.dir, 'node_modules'))).toEqual(before);
    expect(lstatSync(join(repo.dir, 'node_modules/left-pad')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(repo.dir, 'node_modules/abs-left-pad'))).toBe(join(repo.dir, store));
    expect(worktrees(repo)).toEqual([]);
  });
});

describe('ports', () => {
  it('each batch and the integration get a block of their own, in agent, setup and validation alike, free of locked ports', async () => {
    const marks = record();
    // Every other block of ten holds a locked port: blocks drawn without looking would hit one.
    const locked = Array.from({ length: 638 }, (_, i) => 20005 + 20 * i);
    const constraints = ['---', 'ports:', ...locked.map((port) => `  "${port}": test service`), '---', ''].join('\n');
    const repo = npmRepo(THREE, { validate: `${CHECK_DEPS} --record ${marks}`, files: { '.claude/constraints.md': constraints } });
    const outcome = await run(repo, { agent: agent('tamper'), validate: undefined, force: true, setup: `node ${join(ROOT, 'test', 'fixtures', 'scripts', 'record-env.cjs')} ${marks}` });
    expect(outcome.report.status).toBe('merged');
    const blocks = [...outcome.state.batches.map((batch) => batch.ports), outcome.state.integration.ports];
    const bases = blocks.map((block) => block?.base);
    expect(new Set(bases).size).toBe(4);
    for (const block of blocks) {
      if (!block) throw new Error('a worktree without ports');
      for (let port = block.base; port < block.base + block.count; port++) expect(locked).not.toContain(port);
      for (const other of blocks) if (other !== block && other) expect(other.base >= block.base + block.count || other.base + other.count <= block.base).toBe(true);
    }
    for (const batch of outcome.state.batches) {
      const seen = ['env', 'setup.json', 'validate.json'].map((kind) => readJson<{ PORT: string; FANOUT_PORT_BASE: string }>(join(marks, `${batch.id}.${kind}`)));
      for (const env of seen) expect(env).toMatchObject({ PORT: String(batch.ports?.base), FANOUT_PORT_BASE: String(batch.ports?.base) });
    }
    expect(readJson<{ PORT: string }>(join(marks, 'integration.validate.json')).PORT).toBe(String(outcome.state.integration.ports?.base));
    expect(outcome.state.batches[0]?.ports?.count).toBe(10);
  });
});
