// A run after its preflight, shared by `fanout orchestrate` and `fanout resume`: the stages in
// src/orchestrate/stages/, in order. Nothing here throws past the cleanup: a failure becomes the run's
// status, and cleanup and report always run.
import { check } from './stages/check.js';
import { cleanUp } from './stages/clean-up.js';
import { collect } from './stages/collect.js';
import { fanOut } from './stages/fan-out.js';
import { findCulprit } from './stages/find-culprit.js';
import { integrate } from './stages/integrate.js';
import { land } from './stages/land.js';
import { provision, startProvisioning } from './stages/provision.js';
import { report, type RunOutcome } from './stages/report.js';
import { agentTimes, FINISHED_EARLIER, runAgent } from './stages/run-agent.js';
import { eachBatch, messageOf, startRun, type RunContext, type RunHooks } from './stages/start-run.js';
import { prepareIntegration, validateBatch, validateIntegration } from './stages/validate.js';

export type { RunContext, RunHooks } from './stages/start-run.js';
export type { RunOutcome } from './stages/report.js';

/** rerun: the batches whose agent runs now; the others finished earlier (resume) and are re-checked. */
export async function executeRun(ctx: RunContext, rerun: ReadonlySet<string>, hooks: RunHooks): Promise<RunOutcome> {
  const run = startRun(ctx, hooks);
  const { state } = run;
  const provisioning = startProvisioning(run);
  try {
    await fanOut(run, rerun);
    // The integration worktree is provisioned once the first agents have their worktrees: it is needed only
    // when they end, and linking it beside theirs would delay their start on a busy machine.
    const firstWave = Math.min(state.options.concurrency, state.batches.length);
    let provisioned = 0;
    let startIntegration = () => {};
    const integrationReady = new Promise<void>((resolve) => (startIntegration = resolve)).then(() => prepareIntegration(run, provisioning));
    if (firstWave === 0) startIntegration();
    run.setPhase('agents');
    await eachBatch(run, async (batch) => {
      const agentRuns = rerun.has(batch.id);
      const ready = await provision(run, provisioning, batch, agentRuns).finally(() => {
        if (++provisioned === firstWave) startIntegration();
      });
      if (!ready) return;
      const agent = agentRuns ? await runAgent(run, batch) : FINISHED_EARLIER;
      if (agent === null || !(await collect(run, batch, agent))) return;
      // Agents run the validate command themselves as they work; fanout validates each branch on its own only when asked to.
      if (state.options.validateBatches === 'always') await validateBatch(run, batch);
    });
    startIntegration();
    const times = agentTimes(state.batches.filter((batch) => rerun.has(batch.id)));
    Object.assign(state, { agentWallMs: times.wallMs, agentTimeMs: times.timeMs });

    const merging = performance.now();
    const checked = run.signal.aborted ? null : await check(run);
    const integration = checked?.ready ? await integrate(run, checked.targetTip) : null;
    state.mergeMs = Math.round(performance.now() - merging);
    if (checked && integration?.ok) {
      if (await validateIntegration(run, provisioning, integrationReady)) {
        const landing = performance.now();
        await land(run, checked.targetTip, integration.head);
        state.mergeMs += Math.round(performance.now() - landing);
      } else if (state.options.validateBatches !== 'never' && state.integration.validation?.problem === undefined) {
        // With always, every batch is green alone already (their trees are not validated again): the combinations remain.
        await findCulprit(run, checked.targetTip);
      }
    }
  } catch (error) {
    state.error = messageOf(error);
  }
  await cleanUp(run, provisioning);
  return report(run);
}
