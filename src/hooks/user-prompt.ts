import { isAbsolute, resolve } from 'node:path';
import type { Env } from '../constraints/find-repo.js';
import type { HostFs } from '../util/host-fs.js';
import { blockPrompt, type HookInput } from './io.js';
import { loadConstraintsCached } from './load-constraints.js';

/**
 * The complexity gate for `/orchestrate <plan>`: `!` lines in commands bypass PreToolUse,
 * so a small plan must be refused here, before the model ever sees the prompt.
 */
export async function userPrompt(input: HookInput, env: Env, fs: HostFs, fallbackCwd: string): Promise<string | undefined> {
  const prompt = promptOf(input);
  if (prompt === undefined || !/orchestrate/.test(prompt)) return undefined;
  const { gatePrompt, parsePlan, sizePlan } = await import('../plan/index.js');
  const gate = gatePrompt(prompt);
  if (!gate) return undefined;
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : fallbackCwd;
  const loaded = await loadConstraintsCached(cwd, env, fs);
  if ('error' in loaded) return blockPrompt(`fanout: the constraints file is invalid; fix it before orchestrating:\n${loaded.error}`);
  const candidates = isAbsolute(gate.planPath) ? [gate.planPath] : [resolve(cwd, gate.planPath), resolve(loaded.projectDir, gate.planPath)];
  let text: string | undefined;
  for (const candidate of candidates) {
    text = await fs.readText(candidate).catch(() => undefined);
    if (text !== undefined) break;
  }
  if (text === undefined) return blockPrompt(`fanout: plan file ${gate.planPath} not found (looked in ${[...new Set(candidates)].join(', ')}). Pass a path relative to the project, or describe the task instead of naming a file.`);
  const parsed = parsePlan(text, { source: gate.planPath });
  if (!parsed.ok) {
    return blockPrompt(`fanout: ${gate.planPath} is not a valid plan:\n${parsed.issues.map((i) => `${gate.planPath}${i.line ? `:${i.line}` : ''}: ${i.field}: ${i.message}`).join('\n')}`);
  }
  const sizing = sizePlan(parsed.plan, loaded.constraints.gate);
  if (sizing.decision === 'parallel' || gate.force) return undefined;
  return blockPrompt(`fanout complexity gate: ${sizing.reason}. Parallel agents are not worth it here. ${sizing.recommendation}`);
}

function promptOf(input: HookInput): string | undefined {
  if (input.hook_event_name === 'UserPromptExpansion' && typeof input['command_name'] === 'string') {
    const args = typeof input['command_args'] === 'string' ? input['command_args'] : '';
    return `/${input['command_name']} ${args}`.trim();
  }
  return typeof input['prompt'] === 'string' ? input['prompt'] : undefined;
}
