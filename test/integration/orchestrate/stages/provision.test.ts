// Provision: each worktree gets the carried items and an excludes file naming them; a batch whose worktree
// is missing or cannot be provisioned fails with why; an interrupted run starts nothing.
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchFiles } from '../../../../src/orchestrate/run-paths.js';
import { fanOut } from '../../../../src/orchestrate/stages/fan-out.js';
import { provision, startProvisioning, worktreeGit } from '../../../../src/orchestrate/stages/provision.js';
import { gitTasks } from '../../../../src/orchestrate/git-tasks.js';
import { disposeStageRuns, stageRun } from './fixture.js';

afterEach(disposeStageRuns);

const NODE_MODULES = { '.gitignore': 'node_modules/\n' };

async function withDeps(how: 'auto' | 'symlink' = 'auto') {
  const stage = await stageRun({ files: NODE_MODULES, ignored: ['node_modules/'], provision: { how, dirs: [], skip: [] } });
  stage.repo.write({ 'node_modules/dep/index.js': 'module.exports = 42;\n' });
  return stage;
}

describe('stage: provision', () => {
  it('hard-links every worktree to one copy made for the run, never to the main checkout, and excludes what it carried', async () => {
    const { repo, run, progress } = await withDeps();
    const provisioning = startProvisioning(run);
    await fanOut(run, new Set(['alpha', 'beta']));
    for (const batch of run.state.batches) expect(await provision(run, provisioning, batch, true)).toBe(true);
    const [alpha, beta] = run.state.batches;
    if (!alpha || !beta) throw new Error('no batches');
    const ino = (root: string) => statSync(join(root, 'node_modules/dep/index.js')).ino;
    expect(['hardlink', 'reflink']).toContain(run.state.provisioning?.method);
    if (run.state.provisioning?.method === 'hardlink') expect(ino(alpha.worktree)).toBe(ino(beta.worktree));
    expect(ino(alpha.worktree)).not.toBe(ino(repo.dir));
    expect(alpha.provision).toMatchObject({ items: ['node_modules'], files: 1 });
    expect(readFileSync(batchFiles(run.paths.runDir, 'alpha').exclude, 'utf8')).toContain('\n/node_modules\n');
    expect(progress.text).toContain('alpha: node_modules (');
  });

  it('symlink: a symlink to the main checkout, which the worktree\'s git does not see as a change', async () => {
    const { repo, run } = await withDeps('symlink');
    const provisioning = startProvisioning(run);
    await fanOut(run, new Set(['alpha', 'beta']));
    const alpha = run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    expect(await provision(run, provisioning, alpha, true)).toBe(true);
    expect(lstatSync(join(alpha.worktree, 'node_modules')).isSymbolicLink()).toBe(true);
    // `node_modules/` in .gitignore does not match a symlink; the worktree's excludes file does.
    expect(repo.git('-C', alpha.worktree, 'status', '--porcelain')).toBe('?? node_modules\n');
    expect(await worktreeGit(run, alpha.worktree, alpha.id)(gitTasks.status())).toEqual([]);
  });

  it('a virtualenv: its scripts and activate name the worktree\'s venv, so pip there installs there', async (context) => {
    const stage = await stageRun({ files: { '.gitignore': '.venv/\n' }, ignored: ['.venv/'] });
    const venv = spawnSync('python3', ['-m', 'venv', join(stage.repo.dir, '.venv')], { encoding: 'utf8' });
    if (venv.status !== 0) context.skip();
    const provisioning = startProvisioning(stage.run);
    await fanOut(stage.run, new Set(['alpha', 'beta']));
    const alpha = stage.run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    expect(await provision(stage.run, provisioning, alpha, true)).toBe(true);
    expect(readFileSync(join(alpha.worktree, '.venv/bin/pip'), 'utf8').split('\n')[0]).toBe(`#!${alpha.worktree}/.venv/bin/python3`);
    expect(readFileSync(join(alpha.worktree, '.venv/bin/activate'), 'utf8')).toContain(`${alpha.worktree}/.venv`);
    expect(readFileSync(join(stage.repo.dir, '.venv/bin/pip'), 'utf8').split('\n')[0]).toBe(`#!${stage.repo.dir}/.venv/bin/python3`);
    const pip = spawnSync(join(alpha.worktree, '.venv/bin/pip'), ['--version'], { encoding: 'utf8' });
    expect(pip.stdout).toContain(`${alpha.worktree}/.venv/lib/`);
  });

  it('fails a batch whose worktree is missing; an interrupted run leaves a finished batch as it was', async () => {
    const { run, abort } = await withDeps();
    const provisioning = startProvisioning(run);
    const [alpha, beta] = run.state.batches;
    if (!alpha || !beta) throw new Error('no batches');
    expect(await provision(run, provisioning, alpha, true)).toBe(false);
    expect(alpha).toMatchObject({ status: 'failed', error: 'its worktree could not be created' });
    abort.abort();
    beta.status = 'done';
    expect(await provision(run, provisioning, beta, false)).toBe(false);
    expect(beta.status).toBe('done');
    expect(await provision(run, provisioning, beta, true)).toBe(false);
    expect(beta.status).toBe('interrupted');
    await provisioning.ready.catch(() => undefined);
  });
});
