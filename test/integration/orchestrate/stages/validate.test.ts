// Validate: in a batch's worktree, and on the merged result in the integration worktree made during fan-out
// (switched to the integration branch only now), each with its environment; red is recorded as invalid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { integrate } from '../../../../src/orchestrate/stages/integrate.js';
import { prepareIntegration, validateBatch, validateIntegration } from '../../../../src/orchestrate/stages/validate.js';
import { disposeStageRuns, node, stageRun } from './fixture.js';
import { agentsDone } from './helpers.js';

afterEach(disposeStageRuns);

// Red where src/beta.ts exists; records where it ran and with which port.
const VALIDATE = node("const fs = require('fs'); fs.writeFileSync('validated.json', JSON.stringify({ port: process.env.PORT, batch: process.env.FANOUT_BATCH })); process.exit(fs.existsSync('src/beta.ts') && process.env.RED_WITH_BETA ? 1 : 0)");

describe('stage: validate', () => {
  it('validates a batch in its worktree: done when green, invalid when red', async () => {
    process.env['RED_WITH_BETA'] = '1';
    try {
      const stage = await stageRun({ validate: VALIDATE });
      await agentsDone(stage);
      const [alpha, beta] = stage.run.state.batches;
      if (!alpha || !beta) throw new Error('no batches');
      await validateBatch(stage.run, alpha);
      await validateBatch(stage.run, beta);
      expect([alpha.status, beta.status]).toEqual(['done', 'invalid']);
      expect(alpha.validation).toMatchObject({ ok: true, exitCode: 0 });
      expect(beta.validation).toMatchObject({ ok: false, exitCode: 1 });
      expect(JSON.parse(readFileSync(join(alpha.worktree, 'validated.json'), 'utf8'))).toEqual({ port: '29900', batch: 'alpha' });
      expect(alpha.install ?? null).toBeNull();
    } finally {
      delete process.env['RED_WITH_BETA'];
    }
  });

  it('validates the merged result in the integration worktree prepared while the agents ran', async () => {
    const stage = await stageRun({ validate: VALIDATE });
    const provisioning = await agentsDone(stage);
    const prepared = prepareIntegration(stage.run, provisioning);
    const result = await integrate(stage.run, stage.run.state.base);
    if (!result.ok) throw new Error('expected a clean integration');
    expect(await validateIntegration(stage.run, provisioning, prepared)).toBe(true);
    const worktree = stage.run.state.integration.worktree ?? '';
    expect(stage.repo.git('-C', worktree, 'symbolic-ref', 'HEAD').trim()).toBe(`refs/heads/${stage.run.state.integration.branch}`);
    expect(JSON.parse(readFileSync(join(worktree, 'validated.json'), 'utf8'))).toEqual({ port: '29990', batch: '' });
    expect(stage.run.state.integration.validation).toMatchObject({ ok: true });
  });

  it('does nothing without a validate command', async () => {
    const stage = await stageRun();
    await agentsDone(stage);
    const alpha = stage.run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    await validateBatch(stage.run, alpha);
    expect(alpha).toMatchObject({ status: 'done', validation: null });
  });
});
