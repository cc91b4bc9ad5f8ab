// dist/hook.mjs: the bundle Claude Code runs on every hook event.
import { runHook } from './main.js';

const result = await runHook(process.argv.slice(2), undefined, process.env);
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
