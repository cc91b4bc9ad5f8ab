// Which rules judge which command: one table from command name to rule functions, looked up once per invocation.
import type { Analysis, Invocation } from './analyze-command.js';
import { ruleClaude, ruleFanout, ruleGnuParallel } from './rules-agents.js';
import { ruleDatabaseClient, ruleDatabaseTool } from './rules-database.js';
import { ruleCrontab, ruleEval, ruleRootShell, ruleShell, ruleSource, ruleUnknownName } from './rules-exec.js';
import { ruleArchive, ruleCopy, ruleDd, ruleDownload, ruleFind, ruleLink, rulePermissions, ruleRm, ruleRsync, ruleSedInPlace, ruleShred, ruleTouchLike, ruleUnlink } from './rules-files.js';
import { ruleGit, ruleGitFilterRepo } from './rules-git.js';
import { ruleCloud, ruleContainer, ruleKubectl, ruleTerraform } from './rules-infra.js';
import { ruleAwk, ruleInterpreter } from './rules-interpreters.js';
import { ruleChroot, ruleDiskTool, ruleInit, ruleKill, ruleShutdown, ruleSystemctl } from './rules-system.js';
import { ruleBashPorts, ruleStopTriggers } from './rules-triggers.js';

export type Rule = (inv: Invocation, an: Analysis) => void;

const TABLE: Array<[names: string[], rules: Rule[]]> = [
  [['rm', 'rimraf', 'del-cli'], [ruleRm]],
  [['rmdir', 'unlink'], [ruleUnlink]],
  [['shred'], [ruleShred]],
  [['find'], [ruleFind]],
  [['cp', 'mv', 'install'], [ruleCopy]],
  [['ln'], [ruleLink]],
  [['touch', 'truncate', 'tee'], [ruleTouchLike]],
  [['sed'], [ruleSedInPlace]],
  [['dd'], [ruleDd]],
  [['curl', 'wget'], [ruleDownload]],
  [['rsync'], [ruleRsync]],
  [['tar', 'unzip'], [ruleArchive]],
  [['chmod', 'chown', 'chgrp', 'setfacl'], [rulePermissions]],
  [['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'rbash'], [ruleShell]],
  [['eval'], [ruleEval]],
  [['source', '.'], [ruleSource]],
  [['python', 'node', 'perl', 'ruby', 'php', 'deno', 'bun', 'lua', 'Rscript', 'osascript', 'pwsh'], [ruleInterpreter]],
  [['perl'], [ruleSedInPlace]],
  [['awk', 'gawk', 'mawk', 'nawk'], [ruleAwk]],
  [['git'], [ruleGit]],
  [['git-filter-repo'], [ruleGitFilterRepo]],
  [['mkfs', 'mke2fs', 'mkswap', 'mkdosfs', 'mkntfs', 'wipefs', 'fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'sgdisk', 'parted', 'blkdiscard', 'hdparm', 'badblocks', 'cryptsetup'], [ruleDiskTool]],
  [['shutdown', 'reboot', 'halt', 'poweroff'], [ruleShutdown]],
  [['init', 'telinit'], [ruleInit]],
  [['systemctl', 'loginctl'], [ruleSystemctl]],
  [['kill', 'pkill', 'killall', 'killall5'], [ruleKill]],
  [['chroot'], [ruleChroot]],
  [['crontab'], [ruleCrontab]],
  [['docker', 'podman', 'nerdctl'], [ruleContainer]],
  [['kubectl', 'oc'], [ruleKubectl]],
  [['terraform', 'tofu', 'terragrunt', 'pulumi', 'cdk', 'cdktf'], [ruleTerraform]],
  [['aws', 'gsutil', 'gcloud', 'az'], [ruleCloud]],
  [['psql', 'mysql', 'mariadb', 'sqlite3', 'sqlite', 'sqlcmd', 'clickhouse-client', 'mongo', 'mongosh', 'redis-cli', 'duckdb', 'cockroach'], [ruleDatabaseClient]],
  [['dropdb', 'rails', 'rake', 'prisma', 'artisan', 'manage.py', 'django-admin'], [ruleDatabaseTool]],
  [['claude', 'claude-code'], [ruleClaude]],
  [['parallel'], [ruleGnuParallel]],
  [['fanout'], [ruleFanout]],
  [['yarn', 'pnpm', 'bun'], [rulePackageBin]],
];

/** Binaries that `yarn <bin>` / `pnpm <bin>` run directly (not subcommands of the package manager). */
const PACKAGE_BINS = new Set(['rimraf', 'del-cli', 'prisma', 'knex', 'sequelize', 'sequelize-cli', 'typeorm', 'drizzle-kit', 'claude', 'fanout', 'terraform', 'cdk']);

/** `yarn rimraf ../`: the package manager runs the binary; judge the binary. */
function rulePackageBin(inv: Invocation, an: Analysis): void {
  const bin = inv.args[1];
  if (!bin || !PACKAGE_BINS.has(bin.value)) return;
  an.invoke(inv.args.slice(1), { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: inv.background, stdin: inv.stdin });
}

const RULES = new Map<string, Rule[]>();
for (const [names, rules] of TABLE) {
  for (const name of names) RULES.set(name, [...(RULES.get(name) ?? []), ...rules]);
}

/** The table key for a command name: versioned interpreters and mkfs.<type> share their family's rules. */
export function ruleKey(name: string): string {
  if (name.startsWith('mkfs.')) return 'mkfs';
  const versioned = /^(python|pypy|pip|perl|ruby|php|node|lua)(?:\d+(?:\.\d+)*)?$/.exec(name);
  if (versioned) return versioned[1] === 'pypy' ? 'python' : (versioned[1] as string);
  if (name.endsWith('.exe')) return ruleKey(name.slice(0, -4));
  return name;
}

export function runRules(inv: Invocation, an: Analysis): void {
  if (inv.args.length === 0) ruleRootShell(inv, an);
  else if (inv.name === '') ruleUnknownName(inv, an);
  else {
    // `./fix.sh` run after this command wrote fix.sh: its content runs.
    if (inv.args[0]?.value.includes('/')) an.runWrittenScript(inv.args[0], inv.args.slice(1), inv);
    for (const rule of RULES.get(ruleKey(inv.name)) ?? []) rule(inv, an);
  }
  ruleStopTriggers(inv, an);
  ruleBashPorts(inv, an);
}
