// `fanout demo`: the whole pipeline on a throwaway repo with a built-in offline agent, no model needed.
// `fanout demo agent <prompt>` is that agent (hidden): it writes its batch's files, a little at a time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { FanoutError } from '../../util/errors.js';
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout demo [--json]

Creates a throwaway git repo in a temp directory with a 12-file plan in 3 independent parts, then runs
fanout orchestrate on it with a built-in offline agent (it writes each batch's files; no model, no network):
worktrees, parallel agents with live progress, conflict prediction, validation, merge, cleanup, report.
It ends by saying where the result is. The repo stays for you to look at; delete it when done.`;

const AREAS = {
  text: ['capitalize', 'slugify', 'truncate', 'wrap'],
  math: ['clamp', 'lerp', 'round-to', 'sum'],
  time: ['parse-ms', 'format-ms', 'sleep', 'debounce'],
} as const;

function demoPlan(): string {
  const tasks: string[] = [];
  for (const [area, names] of Object.entries(AREAS)) {
    names.forEach((name, i) => {
      tasks.push(
        `  - id: ${area}-${name}`,
        `    files: [src/${area}/${name}.mjs]`,
        `    depends_on: [${i === 0 ? '' : `${area}-${names[i - 1]}`}]`,
        `    prompt: Write src/${area}/${name}.mjs exporting ${camel(name)}() and id = '${area}/${name}'.`,
      );
    });
  }
  return [
    '---',
    'title: A small utility library in three parts',
    'validate: node scripts/check.mjs',
    'tasks:',
    ...tasks,
    '---',
    'Three independent areas (text, math, time); inside each, a chain of four modules written in order.',
    'Every module is an ES module under src/<area>/ exporting `id` and one function.',
    '',
  ].join('\n');
}

const CHECK = `// Validation for the demo: every module under src/ imports and exports the id its path promises.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let count = 0;
for (const area of readdirSync('src')) {
  for (const file of readdirSync(join('src', area))) {
    const mod = await import(pathToFileURL(join(process.cwd(), 'src', area, file)).href);
    const expected = area + '/' + file.replace(/\\.mjs$/, '');
    if (mod.id !== expected) throw new Error(join('src', area, file) + ': id is ' + mod.id + ', expected ' + expected);
    count++;
  }
}
console.log('check: ' + count + ' modules ok');
`;

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The offline agent: writes FANOUT_FILES one by one, reporting each write as a stream-json tool call. */
async function demoAgent(): Promise<number> {
  const files = JSON.parse(process.env['FANOUT_FILES'] ?? '[]') as string[];
  const emit = (event: unknown) => process.stdout.write(`${JSON.stringify(event)}\n`);
  emit({ type: 'system', subtype: 'init', agent: 'fanout demo agent', batch: process.env['FANOUT_BATCH'] });
  for (const file of files) {
    await sleep(250 + Math.floor(Math.random() * 150));
    const id = file.replace(/^src\//, '').replace(/\.mjs$/, '');
    const fn = camel(basename(id));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `// Written by the fanout demo agent (batch ${process.env['FANOUT_BATCH'] ?? '?'}).\nexport const id = '${id}';\nexport function ${fn}(...args) {\n  return args;\n}\n`);
    emit({ type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Write', input: { file_path: file } }] } });
  }
  emit({ type: 'result', subtype: 'success', is_error: false, total_cost_usd: 0 });
  return 0;
}

export const command: Command = {
  usage,
  async run(argv) {
    if (argv[0] === 'agent') return demoAgent();
    const { values } = parseFlags('demo', argv, { json: { type: 'boolean' } }, false);
    const started = performance.now();
    const { bundleFile, orchestrate, formatDuration } = await import('../../orchestrate/index.js');
    const cli = bundleFile('cli.mjs');
    if (!existsSync(cli)) throw new FanoutError('cli-missing', `the CLI bundle ${cli} is missing; the demo agent runs from it`, { hint: 'run `npm run build` (npm run demo does it for you)' });

    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-demo-')));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'fanout demo');
    git('config', 'user.email', 'demo@fanout.invalid');
    git('config', 'commit.gpgsign', 'false');
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    mkdirSync(join(dir, 'plans'), { recursive: true });
    writeFileSync(join(dir, 'README.md'), '# fanout demo\n\nA throwaway repo made by `fanout demo`.\n');
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'fanout-demo', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(join(dir, 'scripts', 'check.mjs'), CHECK);
    writeFileSync(join(dir, 'plans', 'demo.md'), demoPlan());
    git('add', '-A');
    git('commit', '-q', '-m', 'demo: empty project and a plan');

    process.stderr.write(`fanout demo: a throwaway repo at ${dir}\nfanout demo: plan plans/demo.md: 12 files in 3 independent parts, validated by \`node scripts/check.mjs\`\n\n`);
    const outcome = await orchestrate(
      { cwd: dir, planPath: 'plans/demo.md', agent: [process.execPath, cli, 'demo', 'agent'], timeoutMs: 60_000 },
      { progress: process.stderr, tty: process.stderr.isTTY === true, handleSignals: true },
    );
    if ('dryRun' in outcome) return 0;
    if (values.json) {
      process.stdout.write(`${JSON.stringify(outcome.report, null, 2)}\n`);
      return outcome.exitCode;
    }
    const where =
      outcome.state.status === 'merged'
        ? [
            `The result: branch main of ${dir} now has all 12 files, one merge commit per batch:`,
            `  git -C ${dir} log --oneline --graph`,
            `  ls ${join(dir, 'src')}/*`,
          ]
        : [`The demo did not merge (${outcome.state.status}); its repo is ${dir}.`];
    process.stdout.write(`\n${outcome.summary}\n\n${where.join('\n')}\nDemo finished in ${formatDuration(performance.now() - started)}. Delete the repo when done: rm -rf ${dir}\n`);
    return outcome.exitCode;
  },
};
