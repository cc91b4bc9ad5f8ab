// Run agents: the setup command, then the agent, each in the batch's worktree with the batch, its ports
// and its excludes file in the environment; what the setup leaves is set aside, never taken for work.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitTasks } from '../../../../src/orchestrate/git-tasks.js';
import { batchFiles } from '../../../../src/orchestrate/run-paths.js';
import { worktreeGit } from '../../../../src/orchestrate/stages/provision.js';
import { agentTimes, runAgent } from '../../../../src/orchestrate/stages/run-agent.js';
import { disposeStageRuns, node, readyWorktrees, stageRun } from './fixture.js';

afterEach(disposeStageRuns);

const RECORD_ENV = "const e = process.env; require('fs').writeFileSync('env.json', JSON.stringify({ batch: e.FANOUT_BATCH, files: e.FANOUT_FILES, port: e.PORT, base: e.FANOUT_PORT_BASE, count: e.FANOUT_PORT_COUNT, exclude: e['GIT_CONFIG_VALUE_' + (Number(e.GIT_CONFIG_COUNT) - 1)], prompt: process.argv[process.argv.length - 1] }))";

describe('stage: run agents', () => {
  it('runs the agent in its worktree with the batch, its ports and its excludes file in the environment, the prompt last', async () => {
    const stage = await stageRun({ agent: node(RECORD_ENV) });
    await readyWorktrees(stage);
    const alpha = stage.run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    expect(await runAgent(stage.run, alpha)).toEqual({ status: 'done', how: 'exit 0' });
    const env = JSON.parse(readFileSync(join(alpha.worktree, 'env.json'), 'utf8')) as Record<string, string>;
    expect(env).toMatchObject({ batch: 'alpha', files: '["src/alpha.ts"]', port: '29900', base: '29900', count: '10', exclude: batchFiles(stage.run.paths.runDir, 'alpha').exclude });
    expect(env['prompt']).toContain('batch alpha');
    expect(env['prompt']).toContain('29900-29909');
    expect(alpha).toMatchObject({ status: 'running', exitCode: 0, pid: null });
    expect(agentTimes([alpha]).timeMs).toBe(alpha.durationMs);
  });

  it('sets aside what the setup command creates or changes: excluded, skip-worktree, never the agent\'s', async () => {
    const setup = node("const fs = require('fs'); fs.mkdirSync('gen'); fs.writeFileSync('gen/a.json', '{}'); fs.appendFileSync('README.md', 'built\\n');");
    const stage = await stageRun({ agent: node(''), setup });
    await readyWorktrees(stage);
    const alpha = stage.run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    expect(await runAgent(stage.run, alpha)).toMatchObject({ status: 'done' });
    expect(await worktreeGit(stage.run, alpha.worktree, alpha.id)(gitTasks.status())).toEqual([]);
    expect(readFileSync(batchFiles(stage.run.paths.runDir, 'alpha').exclude, 'utf8')).toContain('/gen\n');
    expect(stage.progress.text).toContain('alpha: the setup command left README.md, gen/; not agent work');
  });

  it('fails the batch when the setup fails, or changes a file the batch must change', async () => {
    const stage = await stageRun({ agent: node(''), setup: node("const fs = require('fs'); if (process.env.FANOUT_BATCH === 'alpha') process.exit(4); fs.writeFileSync('src/beta.ts', 'setup')") , files: { 'src/beta.ts': 'tracked\n' } });
    await readyWorktrees(stage);
    const [alpha, beta] = stage.run.state.batches;
    if (!alpha || !beta) throw new Error('no batches');
    expect(await runAgent(stage.run, alpha)).toBeNull();
    expect(alpha.status).toBe('failed');
    expect(alpha.error).toContain('the setup command exited with 4');
    expect(await runAgent(stage.run, beta)).toBeNull();
    expect(beta.error).toContain('the setup command changes src/beta.ts, which this batch must change');
  });

  it('reports an agent that fails or times out as such', async () => {
    const stage = await stageRun({ agent: node("if (process.env.FANOUT_BATCH === 'alpha') process.exit(3); setInterval(() => {}, 1000)") });
    stage.run.state.options.timeoutMs = 1000;
    await readyWorktrees(stage);
    const [alpha, beta] = stage.run.state.batches;
    if (!alpha || !beta) throw new Error('no batches');
    expect(await runAgent(stage.run, alpha)).toEqual({ status: 'failed', how: 'exit 3' });
    expect(alpha.error).toContain('the agent exited with 3');
    expect(await runAgent(stage.run, beta)).toEqual({ status: 'timeout', how: 'timed out' });
    expect(beta.error).toContain('timeout');
  });
});
