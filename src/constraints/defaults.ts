import type { LockedPath, StopTrigger } from './schema.js';

export const DEFAULT_LOCKED: LockedPath[] = [
  { path: '.env', level: 'block', reason: 'holds secrets; edit it by hand, or change .env.example' },
  {
    path: '.env.*',
    level: 'block',
    reason: 'holds secrets; edit it by hand, or change .env.example',
    except: ['.env.example', '.env.sample', '.env.template'],
  },
  { path: 'package-lock.json', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'npm-shrinkwrap.json', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'yarn.lock', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'pnpm-lock.yaml', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'bun.lockb', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'Cargo.lock', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'poetry.lock', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'Gemfile.lock', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: 'go.sum', level: 'ask', reason: 'lockfiles change through the package manager, not by hand' },
  { path: '.claude/settings.json', level: 'ask', reason: 'changes the hooks and permissions every agent runs under' },
];

export const DEFAULT_STOP_TRIGGERS: StopTrigger[] = [
  { id: 'add-dependency', reason: 'a new dependency is a decision for a human' },
  { id: 'create-migration', reason: 'schema migrations need a human to review them' },
  { id: 'sudo', reason: 'root privileges need a human' },
  { id: 'publish', reason: 'publishing a package or image reaches every user of it and cannot be taken back' },
  { id: 'deploy', reason: 'deploying changes what real users run; a human decides when' },
];

export const DEFAULT_GATE = { directMax: 2, sequentialMax: 9, maxAgents: 4, subagentWorktree: 'ask', parallelWriters: 'deny' } as const;

export const DEFAULT_TEMP_ROOTS = ['/tmp', '/var/tmp'];
