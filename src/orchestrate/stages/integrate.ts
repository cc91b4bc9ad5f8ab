// Integrate: the batches' branches merged, in plan order, into fanout/<run-id>/integration without a
// checkout (merge-tree --write-tree, commit-tree with two parents, one update-ref; see build-integration.ts).
import { buildIntegration } from '../build-integration.js';
import type { Run } from './start-run.js';

export type Integration = { ok: true; head: string } | { ok: false };

export async function integrate(run: Run, targetTip: string): Promise<Integration> {
  const { state, repo } = run;
  run.setPhase('integrate');
  const integration = await buildIntegration(repo.git, {
    runId: state.runId,
    start: targetTip,
    base: state.base,
    branches: state.batches.map((b) => ({ id: b.id, head: b.head ?? state.base })),
    ref: `refs/heads/${state.integration.branch}`,
    identity: run.identity,
  });
  if (!integration.ok) {
    state.conflicts.push(integration.conflict);
    run.save();
    return { ok: false };
  }
  state.integration.head = integration.head;
  run.save();
  return { ok: true, head: integration.head };
}
