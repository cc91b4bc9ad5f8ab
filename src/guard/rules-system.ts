// The machine itself: disk and partition tools, shutdown, killing every process.
import { posix } from 'node:path';
import { classifyAbs } from './classify-path.js';
import { hasLong, hasShort, operands } from './flags.js';
import { matchesEveryProcess, xargsItems } from './list-items.js';
import type { Arg } from './resolve-word.js';
import type { Invocation, RuleContext, RuleModule } from './rule-context.js';

/** Per tool, flags and words that only list or inspect (fdisk -l, parted print, wipefs without -a …). */
const READ_ONLY: Record<string, RegExp> = {
  fdisk: /^(?:-l|--list|-s|--getsz|-x|--list-details)$/,
  sfdisk: /^(?:-l|--list|-s|--show-size|-d|--dump|-J|--json|-V|--verify|-g|--show-geometry|--list-free|-F)$/,
  gdisk: /^-l$/,
  sgdisk: /^(?:-p|--print|-i|--info|-v|--verify|-O|--print-mbr|-b|--backup)$/,
  parted: /^(?:-l|--list|print)$/,
  cfdisk: /^$/,
};
/** parted and sgdisk take reads and writes in one call: `parted /dev/sda print mklabel gpt`. */
const WRITES = /^(?:mklabel|mkpart|rm|resizepart|rescue|--delete|--zap|--zap-all|-[zZdno]|--clear|--new)$/;
const HELP = /^(?:-h|--help|-V|--version|--usage)$/;

/** mkfs, wipefs, fdisk, parted …: denied unless every operand is a plain file in the repo or a temp root (a disk image). */
export function ruleDiskTool(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  if (rest.length === 0 || rest.some((a) => HELP.test(a.value))) return;
  const readOnly = READ_ONLY[inv.name];
  const writes = inv.name === 'parted' || inv.name === 'sgdisk' ? rest.some((a) => WRITES.test(a.value)) : false;
  if (readOnly && rest.some((a) => readOnly.test(a.value)) && !writes) return;
  if (inv.name === 'wipefs' && !hasShort(rest, 'a', ['-o', '-t', '-O', '-p']) && !hasLong(rest, '--all', '--offset') && !hasShort(rest, 'o')) return;
  if (inv.name === 'wipefs' && (hasShort(rest, 'n') || hasLong(rest, '--no-act'))) return;
  if (inv.name === 'hdparm' && !rest.some((a) => /^--(?:security-erase|trim-sector-ranges|write-sector|fwdownload|make-bad-sector)/.test(a.value))) return;
  if (inv.name === 'cryptsetup' && !rest.some((a) => /^(?:luksFormat|erase|luksErase|reencrypt)$/.test(a.value))) return;
  if (inv.name === 'badblocks' && !hasShort(rest, 'w')) return;
  // Which words are the device: anything path-like (flag values like `-t ext4` or `-F 32` are not).
  const devices = rest.filter((a: Arg) => !a.value.startsWith('-') && (a.value.includes('/') || /\.(?:img|iso|raw|qcow2|bin|vhdx?)$/.test(a.value)));
  const safe =
    devices.length > 0 &&
    devices.every((a) => {
      const path = an.path(a, inv);
      if (path.kind !== 'exact') return false;
      const cls = classifyAbs(path.abs, an.constraints, an.context);
      return cls === 'temp' || cls === 'inside';
    });
  if (safe) return;
  const device = devices[0]?.value ?? 'a disk';
  an.add('disk-format', 'deny', `${inv.name} rewrites disks and partition tables (${device}); one wrong device name erases the machine's data. fanout never lets an agent touch disks; ask a human to do it.`, inv.segment);
}

export function ruleShutdown(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  if (rest.some((a) => a.value === '-c' || a.value === '--help' || a.value === '--show')) return;
  an.add('system-shutdown', 'deny', `${inv.name} takes the machine down, killing every session and process on it. Never shut down or reboot from an agent; ask a human.`, inv.segment);
}

export function ruleInit(inv: Invocation, an: RuleContext): void {
  const level = inv.args[1]?.value;
  if (level !== undefined && /^[016sS]$/.test(level)) {
    an.add('system-shutdown', 'deny', `${inv.name} ${level} halts or reboots the machine (or drops it to single-user mode). Never change the run level from an agent; ask a human.`, inv.segment);
  }
}

const POWER = new Set(['poweroff', 'reboot', 'halt', 'kexec', 'suspend', 'hibernate', 'hybrid-sleep', 'suspend-then-hibernate', 'emergency', 'rescue', 'soft-reboot', 'kill-session', 'kill-user', 'terminate-session', 'terminate-user', 'terminate-seat']);
/** Targets whose start takes the machine down or to single-user mode. */
const POWER_TARGET = /^(?:rescue|emergency|poweroff|reboot|halt|kexec|shutdown|exit|soft-reboot|sleep|suspend|hibernate)(?:\.target)?$/;
const SYSTEMCTL_VALUED = new Set(['-H', '--host', '-M', '--machine', '-t', '--type', '-p', '--property', '--state', '-s', '--signal', '--kill-whom', '--kill-value', '--job-mode', '--root', '--image', '-n', '--lines', '-o', '--output', '--what', '--reboot-argument', '--timestamp', '--when', '--message', '--boot-loader-menu', '--boot-loader-entry', '--preset-mode', '--marked', '--check-inhibitors']);

export function ruleSystemctl(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  let at = -1;
  for (let i = 0; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    if (!v.startsWith('-')) {
      at = i;
      break;
    }
    if (SYSTEMCTL_VALUED.has(v)) i++;
  }
  const verb = rest[at]?.value;
  if (verb === undefined || rest.some((a) => a.value === '--help' || a.value === '-h')) return;
  const units = rest.slice(at + 1).filter((a) => !a.value.startsWith('-'));
  const starts = /^(?:start|restart|isolate|reload-or-restart|try-restart)$/.test(verb) && units.some((u) => POWER_TARGET.test(u.value));
  if (POWER.has(verb) || starts) {
    an.add('system-shutdown', 'deny', `${inv.name} ${verb}${starts ? ` ${units.map((u) => u.value).join(' ')}` : ''} takes the machine (or every session) down. Never do that from an agent; ask a human.`, inv.segment);
  }
}

/** dbus-send / busctl / gdbus calls to logind's PowerOff, Reboot, Halt, Suspend …: shutdown by message. */
export function ruleDbusPower(inv: Invocation, an: RuleContext): void {
  const words = inv.args.slice(1).map((a) => a.value);
  if (!words.some((w) => /login1|systemd1/.test(w))) return;
  const call = words.find((w) => /(?:^|\.)(?:PowerOff|Reboot|Halt|KExec|Suspend|Hibernate|HybridSleep|SuspendThenHibernate|SoftReboot|TerminateUser|KillUser|TerminateSeat)(?:$|\b)/.test(w));
  if (call) an.add('system-shutdown', 'deny', `${inv.name} calls ${call}, which takes the machine (or every session) down. Never do that from an agent; ask a human.`, inv.segment);
}

/** The value of an option given as `-s 0`, `-s0`, `--session 0` or `--session=0`. */
function valueOf(args: Arg[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (v === flag) return args[i + 1]?.value;
    if (flag.startsWith('--') && v.startsWith(`${flag}=`)) return v.slice(flag.length + 1);
    if (!flag.startsWith('--') && v.startsWith(flag) && v.length > flag.length && !v.startsWith('--')) return v.slice(flag.length);
  }
  return undefined;
}

/** kill -9 -1 / kill -- -1 signal every process the user may signal; killall5 does the same. */
export function ruleKill(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  if (inv.name === 'killall5') {
    an.add('kill-all-processes', 'deny', 'killall5 signals every process on the machine. Kill the specific process by its PID instead.', inv.segment);
    return;
  }
  if (inv.name !== 'kill') {
    if (inv.name === 'pkill' || inv.name === 'killall') {
      // Signals (-9, -KILL, -SIGKILL) out; single capitals are options (pkill -U uid, -G, -P, -F; killall -I, -Z).
      const flags = rest.filter((a) => !/^-(?:\d+|[A-Z][A-Z0-9+-]+|SIG\w+)$/.test(a.value));
      const patterns = operands(flags, ['-s', '--signal', '-u', '--euid', '--user', '-U', '--uid', '-g', '--pgroup', '-G', '--group', '-P', '--parent', '-t', '--terminal', '-o', '-y', '--younger-than', '--older-than', '-n', '--ns', '--nslist', '-F', '--pidfile', '--session', '-O', '--older', '-d', '--delimiter']);
      const byUser = hasShort(flags, 'u', ['-s', '-g', '-G', '-P', '-t', '-o', '-y', '-n', '-F', '-U']) || hasShort(flags, 'U', ['-s', '-g', '-G', '-P', '-t', '-o', '-y', '-n', '-F']) || hasLong(flags, '--euid', '--uid', '--user');
      const inverse = inv.name === 'pkill' && (hasShort(flags, 'v', ['-s', '-u', '-U', '-g', '-G', '-P', '-t', '-F']) || hasLong(flags, '--inverse'));
      const everything = patterns.some((p) => matchesEveryProcess(p.value));
      // -s 0 / -g 0: this session or process group (Claude Code's); -P 1: every child of init.
      const own = inv.name === 'pkill' && ['-s', '--session', '-g', '--pgroup'].some((f) => valueOf(flags, f) === '0');
      const initChildren = inv.name === 'pkill' && ['-P', '--parent'].some((f) => valueOf(flags, f) === '1');
      if (everything || inverse || own || initChildren || (byUser && patterns.length === 0)) {
        const why = inverse ? 'an inverted pattern (-v), which matches nearly every process' : own ? 'your own session or process group' : initChildren ? 'every child of init (pid 1)' : everything ? 'a pattern that matches every process' : 'only a user';
        an.add('kill-all-processes', 'deny', `${inv.name} with ${why} kills every process it can, including Claude Code itself. Kill the specific process by name or PID.`, inv.segment);
      }
    }
    return;
  }
  // `kill -9 $(pgrep .)`, `ps -e -o pid= | xargs kill -9`: the pids are every process.
  const listed = [...rest, ...xargsItems(inv, an)].find((a) => a.list?.source === 'processes' && a.list.all);
  if (listed?.list) {
    an.add('kill-all-processes', 'deny', `kill signals every process \`${listed.list.from}\` lists, which is every process you may signal, including Claude Code itself. Kill the specific process by its PID.`, inv.segment);
    return;
  }
  const pids: string[] = [];
  let i = 0;
  let afterDashes = false;
  let signal = false;
  for (; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    if (afterDashes) {
      pids.push(v);
      continue;
    }
    if (v === '--') {
      afterDashes = true;
      continue;
    }
    if (v === '-s' || v === '-n' || v === '--signal') {
      i++;
      signal = true;
      continue;
    }
    if (v === '-l' || v === '-L' || v === '--list' || v === '--table') return;
    if (!signal && /^-(?:\d+|[A-Z][A-Z0-9+-]*|SIG\w+)$/.test(v) && pids.length === 0) {
      signal = true;
      // `kill -1` alone: bash reads -1 as the signal; some kills read it as every process. Either way, block it.
      if (v === '-1' && rest.length === 1) pids.push(v);
      continue;
    }
    pids.push(v);
  }
  if (pids.some((p) => p === '-1' || p === '0' || p === '-0')) {
    an.add('kill-all-processes', 'deny', `kill ${rest.map((a) => a.value).join(' ')} signals every process you may signal (pid -1) or your whole process group, including Claude Code itself. Kill the specific process by its PID.`, inv.segment);
  } else if (pids.includes('1')) {
    an.add('kill-all-processes', 'deny', `kill ${rest.map((a) => a.value).join(' ')} signals init (pid 1); killing it takes the whole machine down. Kill the specific process by its PID.`, inv.segment);
  }
}

/** chroot NEWROOT cmd …: the command's absolute paths live under NEWROOT. */
export function ruleChroot(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  let i = 0;
  while (i < rest.length && (rest[i] as Arg).value.startsWith('-')) i += /^--(?:userspec|groups)$/.test((rest[i] as Arg).value) ? 2 : 1;
  const root = rest[i];
  const command = rest.slice(i + 1);
  if (!root || command.length === 0) return;
  const rootPath = an.path(root, inv);
  const base = rootPath.kind === 'exact' ? rootPath.abs : rootPath.kind === 'within' ? rootPath.base : undefined;
  const { targets } = an.capture(() => an.invoke(command, { state: { ...inv.state, cwd: '/' }, depth: inv.depth + 1, segment: inv.segment, background: false, stdin: undefined }));
  for (const target of targets) {
    const path = target.path;
    if (path.kind !== 'unknown') {
      if (base === undefined) target.path = { kind: 'unknown', display: path.display, relative: false };
      else {
        const inner = path.kind === 'exact' ? path.abs : path.base;
        const host = posix.join(base, inner);
        target.path = path.kind === 'exact' ? { ...path, abs: host } : { ...path, base: host };
        target.via = `chroot ${base}: ${target.via}`;
      }
    }
    an.target(target);
  }
}

export const systemRules: RuleModule[] = [
  { name: 'disk-tool', commands: ['mkfs', 'mke2fs', 'mkswap', 'mkdosfs', 'mkntfs', 'wipefs', 'fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'sgdisk', 'parted', 'blkdiscard', 'hdparm', 'badblocks', 'cryptsetup'], check: ruleDiskTool },
  { name: 'shutdown', commands: ['shutdown', 'reboot', 'halt', 'poweroff'], check: ruleShutdown },
  { name: 'init', commands: ['init', 'telinit'], check: ruleInit },
  { name: 'systemctl', commands: ['systemctl', 'loginctl'], check: ruleSystemctl },
  { name: 'kill', commands: ['kill', 'pkill', 'killall', 'killall5'], check: ruleKill },
  { name: 'chroot', commands: ['chroot'], check: ruleChroot },
  { name: 'dbus-power', commands: ['dbus-send', 'busctl', 'gdbus', 'qdbus'], check: ruleDbusPower },
];
