// A run after its preflight, shared by `fanout orchestrate` and `fanout resume`: the stages in
// src/orchestrate/stages/, in order. Nothing here throws past the cleanup: a failure becomes the run's
// status, and cleanup and report always run.
import { check } from './stages/check.js';
import { cleanUp } from './stages/clean-up.js';
import { collect } from './stages/collect.js';
import { fanOut } from './stages/fan-out.js';
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
    const integrationReady = prepareIntegration(run, provisioning);
    run.setPhase('agents');
    await eachBatch(run, async (batch) => {
      const agentRuns = rerun.has(batch.id);
      if (!(await provision(run, provisioning, batch, agentRuns))) return;
      const agent = agentRuns ? await runAgent(run, batch) : FINISHED_EARLIER;
      if (agent === null || !(await collect(run, batch, agent))) return;
      await validateBatch(run, batch);
    });
    const times = agentTimes(state.batches.filter((batch) => rerun.has(batch.id)));
    Object.assign(state, { agentWallMs: times.wallMs, agentTimeMs: times.timeMs });

    const checked = run.signal.aborted ? null : await check(run);
    if (checked?.ready) {
      const integration = await integrate(run, checked.targetTip);
      if (integration.ok && (await validateIntegration(run, provisioning, integrationReady))) await land(run, checked.targetTip, integration.head);
    }
  } catch (error) {
    state.error = messageOf(error);
  }
  await cleanUp(run, provisioning);
  return report(run);
}
