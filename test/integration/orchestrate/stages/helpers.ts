// Scenario steps shared by the later stages' tests: agents that wrote their files, collected.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { collect } from '../../../../src/orchestrate/stages/collect.js';
import type { Provisioning } from '../../../../src/orchestrate/stages/provision.js';
import { readyWorktrees, type StageRun } from './fixture.js';

/** Fans out, provisions, has each batch's agent write files (default: its own, with its id) and collects. */
export async function agentsDone(stage: StageRun, files: Record<string, Record<string, string>> = {}): Promise<Provisioning> {
  const provisioning = await readyWorktrees(stage);
  for (const batch of stage.run.state.batches) {
    const writes = files[batch.id] ?? Object.fromEntries(batch.files.map((file) => [file, `${file} by ${batch.id}\n`]));
    for (const [path, content] of Object.entries(writes)) {
      mkdirSync(dirname(join(batch.worktree, path)), { recursive: true });
      writeFileSync(join(batch.worktree, path), content);
    }
    await collect(stage.run, batch, { status: 'done', how: 'exit 0' });
  }
  return provisioning;
}
