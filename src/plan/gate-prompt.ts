// Recognises `/orchestrate <plan>` in a prompt so the UserPromptSubmit/UserPromptExpansion hooks can size the plan
// before the model sees it.

export interface PromptGate {
  /** As written (unquoted); resolve it against the session's cwd or project dir. */
  planPath: string;
  /** `--force` was given: the user asked to skip the gate. */
  force: boolean;
}

const COMMAND = /^\s*\/(?:fanout:)?orchestrate(?=\s|$)/;
/** orchestrate flags that take a value, so their value is not mistaken for the plan. */
const VALUE_FLAGS = new Set(['--agent', '--concurrency', '--max-agents', '--validate', '--timeout', '--into']);
const PLAN_FILE = /\.(md|markdown)$/i;

/**
 * Heuristic: the prompt starts with `/orchestrate` or `/fanout:orchestrate`; the rest is split like a shell splits
 * words (quotes, backslashes); flags are skipped (`--force` noted, value flags skip their value); the first other
 * word is the plan if it ends in .md or .markdown. Anything else (`/orchestrate add a reset flow`, no argument,
 * `/orchestrate-status`, a command in the middle of a prompt) is a task description: undefined, the model writes a plan.
 */
export function gatePrompt(prompt: string): PromptGate | undefined {
  const command = COMMAND.exec(prompt);
  if (!command) return undefined;
  const words = splitWords(prompt.slice(command[0].length));
  let force = false;
  let planPath: string | undefined;
  let first = true;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '--') {
      if (first) planPath = words[i + 1];
      first = false;
      break;
    }
    if (word === '--force') {
      force = true;
      continue;
    }
    if (word.startsWith('--')) {
      if (VALUE_FLAGS.has(word)) i++;
      continue;
    }
    if (first) {
      planPath = word;
      first = false;
    }
  }
  if (planPath === undefined || planPath === '' || !PLAN_FILE.test(planPath)) return undefined;
  return { planPath, force };
}

/** POSIX-shell-like word splitting without expansion; an unterminated quote runs to the end. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
      inWord = true;
    } else if (ch === '"') {
      i++;
      for (; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] ?? '')) i++;
        word += text[i] ?? '';
      }
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      i++;
      if (text[i] !== '\n') word += text[i] ?? '';
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
