// Commands that run other code: shells (-c, stdin, script files), eval, source, and command names unknown until run time.
import { classifyAbs, type PathClass } from './classify-path.js';
import { hasLong } from './flags.js';
import { xargsItems } from './list-items.js';
import { NO_COMMAND, UNKNOWN_NAME, type Invocation, type RuleContext, type RuleModule } from './rule-context.js';
import { cloneState, UNKNOWN, type Arg } from './resolve-word.js';
import { stdinCode, taintFinding } from './stdin-content.js';

/** Runs what a shell would read from stdin as shell code. */
function shellStdin(inv: Invocation, an: RuleContext): void {
  const code = stdinCode(inv);
  if (code.kind === 'taint') taintFinding(an, code.taint, inv.segment, 'runs');
  else if (code.kind === 'text') an.source(code.text, cloneState(inv.state), inv.depth + 1, inv.segment);
  else if (code.kind === 'unknown') an.uncertain();
}

const SHELL_VALUED = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);

/** bash/sh/zsh …: `-c code [$0 args]`, a script file (`<(curl …)` is tainted), or code on stdin. */
export function ruleShell(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  let command = false;
  let readStdin = false;
  let i = 0;
  for (; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    if (v === '--' || v === '-') {
      i++;
      break;
    }
    if (SHELL_VALUED.has(v)) {
      i++;
      continue;
    }
    if (v === '--command' || v === '--init-command') {
      command = true;
      continue;
    }
    if (v.startsWith('--')) continue;
    if (/^[-+][a-zA-Z]+$/.test(v)) {
      if (v.startsWith('-') && v.includes('c')) command = true;
      if (v.includes('s')) readStdin = true;
      continue;
    }
    break;
  }
  // `… | xargs bash -c`: the code (or its arguments) come from stdin.
  const operands = [...rest.slice(i), ...(inv.unwrapped.xargs && !inv.unwrapped.xargs.replace ? xargsItems(inv, an) : [])];
  if (command) {
    const code = operands[0];
    if (code) an.runShellString(code, operands.slice(1), inv);
    return;
  }
  const script = operands[0];
  if (script && !readStdin) {
    if (script.taint) {
      taintFinding(an, script.taint, inv.segment, 'runs');
      return;
    }
    if (script.value !== '/dev/stdin') {
      // A script file: what it does is not visible here, unless this command wrote it.
      if (!an.runWrittenScript(script, operands.slice(1), inv)) an.uncertain();
      return;
    }
  }
  shellStdin(inv, an);
}

/** eval joins its arguments and runs them as shell code. */
export function ruleEval(inv: Invocation, an: RuleContext): void {
  const words = inv.args.slice(1);
  if (words.length === 0) return;
  const code: Arg = {
    text: words.map((w) => w.text).join(' '),
    value: words.map((w) => w.value).join(' '),
    globAt: -1,
    taint: words.find((w) => w.taint)?.taint,
  };
  an.runShellString(code, [], inv);
}

/** source / . run a file in this shell: `source <(curl …)` runs downloaded code. */
export function ruleSource(inv: Invocation, an: RuleContext): void {
  const file = inv.args[1];
  if (!file) return;
  if (file.taint) {
    taintFinding(an, file.taint, inv.segment, 'sources');
    return;
  }
  if (file.value === '/dev/stdin' || file.value === '-') {
    shellStdin(inv, an);
    return;
  }
  if (!an.runWrittenScript(file, inv.args.slice(2), inv)) an.uncertain();
}

const SEVERE: ReadonlySet<PathClass> = new Set(['root', 'ancestor', 'repo-root', 'git', 'disk']);

/** `$(…) -rf ~`, `"$X" -rf /`: the program is unknowable, so judge it by what it is pointed at. */
export function ruleUnknownName(inv: Invocation, an: RuleContext): void {
  const name = inv.args[0] as Arg;
  if (name.taint) {
    taintFinding(an, name.taint, inv.segment, 'runs');
    return;
  }
  an.uncertain();
  const rest = inv.args.slice(1);
  // The program may be a shell: network content on its stdin, or `-c code`, is judged as a shell would run it.
  // (A shell given a file operand runs the file, not its stdin: `curl … | $JQ .name` is left to the program.)
  const stdin = stdinCode(inv);
  const readsStdin = rest.every((a) => a.value === '-' || a.value === '/dev/stdin' || /^[-+][a-zA-Z]+$/.test(a.value));
  if (stdin.kind === 'taint' && readsStdin) {
    const what = stdin.taint === 'network' ? 'content downloaded from the network' : 'decoded or unpacked content';
    an.add(
      stdin.taint === 'network' ? 'pipe-to-shell' : 'decode-to-shell',
      'deny',
      `this feeds ${what} to the program '${name.text}', which is only known when the command runs and may be a shell that runs it as code, unseen. Download it to a file, read it, then run that file with a program named literally.`,
      inv.segment,
    );
    return;
  }
  const dashC = rest.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a.value));
  const code = dashC === -1 ? undefined : rest[dashC + 1];
  if (code) an.runShellString(code, rest.slice(dashC + 2), inv);
  const destructive =
    rest.some((a) => /^-[a-zA-Z]*[rRfd]/.test(a.value) && !a.value.startsWith('--')) || hasLong(rest, '--recursive', '--force', '--delete', '--no-preserve-root', '--hard');
  for (const arg of rest) {
    if (arg.value.startsWith('-') || arg.value.includes('://')) continue;
    const path = an.path(arg, inv);
    if (path.kind === 'unknown') continue;
    const abs = path.kind === 'exact' ? path.abs : path.base;
    const cls = classifyAbs(abs, an.constraints, an.context);
    const severe = SEVERE.has(cls) || abs === an.context.home;
    if (severe || (destructive && cls === 'outside')) {
      const shown = name.value.replace(new RegExp(UNKNOWN, 'g'), '…') || name.text;
      an.add(
        'unknown-command-name',
        'deny',
        `the program '${name.text}' is only known when the command runs (it comes from a variable or substitution fanout cannot resolve${shown !== name.text ? `: ${shown}` : ''}), and it is pointed at ${abs}${destructive ? ' with destructive flags' : ''}; fanout blocks an unknown program aimed at a dangerous target. Write the command name literally so it can be checked.`,
        inv.segment,
      );
      return;
    }
  }
}

/** `sudo -s`, `su` with no command: a root shell that reads its commands from stdin. */
export function ruleRootShell(inv: Invocation, an: RuleContext): void {
  if (inv.args.length === 0 && inv.unwrapped.rootShell && !inv.unwrapped.shellString) shellStdin(inv, an);
}

/** crontab FILE|-: replaces the user's crontab (outside the project) with lines that run later, unseen. */
export function ruleCrontab(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  if (rest.some((a) => a.value === '-l' || a.value === '--help')) return;
  if (rest.some((a) => /^-[a-z]*r/.test(a.value))) {
    an.add('crontab-change', 'deny', 'crontab -r deletes every scheduled job of this user, outside the project, with no copy. Leave the crontab alone; ask a human.', inv.segment);
    return;
  }
  const code = stdinCode(inv);
  if (code.kind === 'text') {
    for (const line of code.text.split('\n')) {
      const command = /^\s*(?:@\w+|(?:\S+\s+){5})(.*)$/.exec(line)?.[1];
      if (command && !line.trimStart().startsWith('#')) an.source(command, cloneState(inv.state), inv.depth + 1, inv.segment);
    }
  } else if (code.kind === 'taint') taintFinding(an, code.taint, inv.segment, 'schedules');
  an.add('crontab-change', 'ask', 'crontab replaces this user\'s scheduled jobs, outside the project, with commands that run later without the guard; a human should confirm. Show the crontab lines to the user instead.', inv.segment);
}

/** Binaries that `yarn <bin>` / `pnpm <bin>` run directly (not subcommands of the package manager). */
const PACKAGE_BINS = new Set(['rimraf', 'del-cli', 'prisma', 'knex', 'sequelize', 'sequelize-cli', 'typeorm', 'drizzle-kit', 'claude', 'fanout', 'terraform', 'cdk']);

/** `yarn rimraf ../`: the package manager runs the binary; judge the binary. */
export function rulePackageBin(inv: Invocation, an: RuleContext): void {
  const bin = inv.args[1];
  if (!bin || !PACKAGE_BINS.has(bin.value)) return;
  an.invoke(inv.args.slice(1), { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: inv.background, stdin: inv.stdin });
}

/** `./fix.sh` run after this command wrote fix.sh: its content runs. */
export function ruleWrittenScript(inv: Invocation, an: RuleContext): void {
  const program = inv.args[0];
  if (inv.name !== '' && program?.value.includes('/')) an.runWrittenScript(program, inv.args.slice(1), inv);
}

export const execRules: RuleModule[] = [
  { name: 'written-script', commands: ['*'], check: ruleWrittenScript },
  { name: 'root-shell', commands: [NO_COMMAND], check: ruleRootShell },
  { name: 'unknown-command-name', commands: [UNKNOWN_NAME], check: ruleUnknownName },
  { name: 'shell', commands: ['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'rbash'], check: ruleShell },
  { name: 'eval', commands: ['eval'], check: ruleEval },
  { name: 'source', commands: ['source', '.'], check: ruleSource },
  { name: 'crontab', commands: ['crontab'], check: ruleCrontab },
  { name: 'package-bin', commands: ['yarn', 'pnpm', 'bun'], check: rulePackageBin },
];
