// A plan full of shell metacharacters (in paths, prompts, the title, the context and the validate
// command) runs like any other: nothing is ever handed to a shell, so no stray file appears.
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { AGENTS, capture, dispose, filesAt, planText, repoWithPlan, run, worktreeRoot } from './helpers.js';

const repos: TempRepo[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) dispose(repo);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const NASTY = ['$(touch pwned)', '`touch pwned`', '; touch pwned', "it's \"quoted\"", '&& touch pwned &', '| tee pwned', 'a b  c'];

function findPwned(dir: string, depth = 0): string[] {
  if (depth > 6 || !existsSync(dir)) return [];
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    if (entry.name === 'pwned') hits.push(join(dir, entry.name));
    if (entry.isDirectory()) hits.push(...findPwned(join(dir, entry.name), depth + 1));
  }
  return hits;
}

describe('fanout orchestrate: shell metacharacters', () => {
  it('runs a plan whose names, paths and prompts are full of metacharacters, and creates no stray file', async () => {
    const tasks = [
      { id: 'meta-a', files: ['src/a b/$(touch pwned).ts', 'src/a b/`touch pwned`.ts'], prompt: `Write them $(touch pwned) \`touch pwned\`; touch pwned && echo "x" | tee pwned 'q'` },
      { id: 'meta-b', files: ['src/semi;colon touch pwned.ts', "src/it's \"quoted\".ts"], prompt: NASTY.join(' ') },
    ];
    const logDir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-meta-')));
    dirs.push(logDir);
    const argsLog = join(logDir, 'validate-args.jsonl');
    const validate = `node ${join(AGENTS, 'validate.mjs')} --args-log '${argsLog}' '$(touch pwned)' 'a;b' "\\\`touch pwned\\\`"`;
    const repo = repoWithPlan(planText(`Title $(touch pwned) \`touch pwned\`; touch pwned`, tasks, { validate, context: NASTY.join('\n') }));
    repos.push(repo);
    // The agent lives in a directory whose name needs quoting too.
    const agentDir = join(logDir, 'agent dir $(touch pwned)');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(agentDir);
    for (const file of ['_agent.mjs', 'write-files.mjs']) copyFileSync(join(AGENTS, file), join(agentDir, file));
    const progress = capture();
    const outcome = await run(repo, { agent: [process.execPath, join(agentDir, 'write-files.mjs')], validate: undefined, force: true }, progress);

    expect(outcome.report.status, progress.text).toBe('merged');
    const onMain = filesAt(repo, 'main');
    for (const task of tasks) for (const file of task.files) expect(onMain).toContain(file);
    // The validate command got its arguments literally, in each worktree and on the merged result.
    const calls = readFileSync(argsLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { argv: string[] });
    // Once: on the merged result (validate_batches: on-failure validates branches alone only when it is red).
    expect(calls).toHaveLength(1);
    for (const call of calls) expect(call.argv.slice(2)).toEqual(['$(touch pwned)', 'a;b', '`touch pwned`']);
    // No file named pwned anywhere: the repo, beside it, the agent's dir, the current directory.
    expect([...findPwned(repo.dir), ...findPwned(worktreeRoot(repo)), ...findPwned(logDir), ...findPwned(process.cwd(), 4)]).toEqual([]);
  });

  it('passes the prompt as one argument, whatever it contains', async () => {
    const logDir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-meta-')));
    dirs.push(logDir);
    const echo = join(logDir, 'echo-agent.mjs');
    writeFileSync(echo, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(logDir, 'argv-'))} + process.env.FANOUT_BATCH + '.json', JSON.stringify(process.argv.slice(2)));\n`);
    const tasks = [
      { id: 'one', files: ['one.txt'], prompt: 'say "$(touch pwned)"' },
      { id: 'two', files: ['two.txt'], prompt: "don't `touch pwned`" },
    ];
    const repo = repoWithPlan(planText('Argv', tasks));
    repos.push(repo);
    const outcome = await run(repo, { agent: [process.execPath, echo, '--flag'], force: true });
    // Nothing was written, so both batches are empty: merged trivially.
    expect(outcome.report.status).toBe('merged');
    const argv = JSON.parse(readFileSync(join(logDir, 'argv-one.json'), 'utf8')) as string[];
    expect(argv).toHaveLength(2);
    expect(argv[0]).toBe('--flag');
    expect(argv[1]).toContain('say "$(touch pwned)"');
    expect(findPwned(repo.dir)).toEqual([]);
  });
});
