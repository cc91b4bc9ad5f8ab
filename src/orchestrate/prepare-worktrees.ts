// The preflight of what the worktrees receive, shared by orchestrate and resume: what to carry (found by
// git), whether the working tree holds anything the run could lose, and whether the project's declared
// dependencies are installed where fanout copies them from. Refuses before anything is created.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FanoutError } from '../util/errors.js';
import { checkWorkingTree, type RepoContext } from './preflight.js';
import { carriesNodeModules, findMissingDependencies, projectPackageManager, readProjectDependencies } from './provision/check-dependencies.js';
import { discoverProvision } from './provision/discover-provision.js';
import type { ProvisionSettings } from './provision/plan-provision.js';
import { resolveMethod } from './provision/provision-worktree.js';
import type { ProvisionContext } from './stages/provision.js';

export interface WorktreePreparation {
  provision: ProvisionContext;
  /** Untracked files of the main checkout that the run leaves as they are. */
  untracked: string[];
  /** Things to tell the user before the agents start. */
  notes: string[];
}

export interface PrepareInput {
  settings: ProvisionSettings;
  /** Every file a batch declares. */
  declared: readonly string[];
  /** Repo-relative paths that may be untracked whatever they are (the plan file). */
  allowed: readonly string[];
  validate: string | null;
  setup: string | null;
  env: NodeJS.ProcessEnv;
  /** Where the worktrees go: reflink, asked for, must work there. */
  worktreesRoot: string;
}

export async function prepareWorktrees(repo: RepoContext, input: PrepareInput): Promise<WorktreePreparation> {
  const found = await discoverProvision(repo.git, repo.repoRoot, input.settings, input.env);
  if (input.settings.how === 'reflink' && found.items.length > 0) {
    await resolveMethod('reflink', { file: join(repo.commonDir, 'HEAD'), dir: existsSync(input.worktreesRoot) ? input.worktreesRoot : dirname(input.worktreesRoot) });
  }
  const { untracked } = await checkWorkingTree(repo, input.declared, found.ignored, input.allowed);
  const notes: string[] = [];
  const project = readProjectDependencies(repo.repoRoot);
  const missing = findMissingDependencies(project);
  if (missing !== null && input.setup === null) {
    const what = `${repo.repoRoot} declares dependencies (${missing.declaredBy}) but has none installed (no node_modules), so no worktree would have them`;
    const fix = `install them in your checkout first (\`${missing.install.join(' ')}\`): every worktree then gets them; or pass --setup '${missing.install.join(' ')}' to install in each worktree`;
    if (input.validate !== null) throw new FanoutError('dependencies-missing', `${what}, and validation would run without them`, { hint: `${fix}; or --validate '' to run without validation` });
    notes.push(`${what}: ${fix}.`);
  } else if (projectPackageManager(project) !== null && project.installed && input.setup === null && !carriesNodeModules(found.items)) {
    notes.push(`orchestrate.provision (${input.settings.how}${input.settings.skip.length > 0 ? `, skip ${input.settings.skip.join(' ')}` : ''}) gives the worktrees no node_modules and there is no setup command: agents and validation run without the project's dependencies.`);
  }
  return { provision: { settings: input.settings, items: found.items, globalExcludes: found.globalExcludes }, untracked, notes };
}
