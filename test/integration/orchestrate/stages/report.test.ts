// Report: the run's status from what the stages recorded, written to state.json, report.json and
// report.md; the lock released; the exit code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { report } from '../../../../src/orchestrate/stages/report.js';
import { disposeStageRuns, stageRun } from './fixture.js';
import { agentsDone } from './helpers.js';

afterEach(disposeStageRuns);

describe('stage: report', () => {
  it('writes the final state and both reports, releases the lock, exit 1 for a run that did not land', async () => {
    const stage = await stageRun();
    await agentsDone(stage);
    mkdirSync(stage.run.paths.fanoutDir, { recursive: true });
    writeFileSync(stage.run.paths.lock, JSON.stringify({ runId: stage.run.state.runId, pid: process.pid, startedAt: new Date().toISOString() }));
    const outcome = report(stage.run);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.state).toMatchObject({ status: 'failed', phase: 'done' });
    expect(JSON.parse(readFileSync(stage.run.paths.state, 'utf8'))).toMatchObject({ status: 'failed', phase: 'done' });
    expect(JSON.parse(readFileSync(stage.run.paths.reportJson, 'utf8'))).toMatchObject({ runId: stage.run.state.runId, status: 'failed' });
    expect(readFileSync(stage.run.paths.reportMd, 'utf8')).toContain(`# fanout run ${stage.run.state.runId}: failed`);
    expect(existsSync(stage.run.paths.lock)).toBe(false);
    expect(outcome.summary).toContain('main and your working tree are untouched.');
  });

  it('is interrupted when the caller aborts the run (exit 1: 130, 143 and 129 are for the signals)', async () => {
    const stage = await stageRun();
    stage.abort.abort();
    const outcome = report(stage.run);
    expect(outcome.state.status).toBe('interrupted');
    expect(outcome.exitCode).toBe(1);
  });
});
