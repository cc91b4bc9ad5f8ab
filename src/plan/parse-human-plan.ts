/**
 * Converts the seed's human plan template to the canonical plan. The mapping (also in docs/plan-format.md):
 *
 * - "File Changes" table (a heading containing "File Changes"/"Files to change"…, else the first table with a
 *   File/Path column): one task per row. Columns are found by name, in any order: File/Path (required; paths in
 *   backticks, several per cell allowed, else comma-separated), #/No/Step (the row number; else the row's position),
 *   Change/Action, Description/Details/Notes (→ the task prompt), Depends on/After/Requires (#N or N: row numbers).
 *   "depends on #N" / "after #N" written in any other cell counts too.
 * - "Implementation Sequence" numbered list (a heading containing "Implementation Sequence/Order/Steps", "Sequence"
 *   or "Steps"): with a table, a step belongs to the rows whose files it names in backticks (full path, or a
 *   basename that only one row has); "depends on #N" / "after #N" / "(depends on #2, #3)" on step S makes every row
 *   of S depend on every row of step N. A step naming no table file passes its dependencies through (step 4 "run
 *   the tests" after #3, step 5 after #4: step 5's rows depend on step 3's). The step text is added to the rows'
 *   prompts. Without a table, each step is a task whose files are the paths it names in backticks; a step naming
 *   no file cannot be converted.
 * - Ids: a row's id is the kebab-case stem of its first file (src/auth/reset.ts → reset), with the parent folder
 *   prepended on a clash (auth-reset), then -2, -3…; a step's id is its first words in kebab case.
 * - Title: front matter `title`, else the first "# " heading, else the file name. `validate` may come from front
 *   matter. The whole Markdown body is the shared context.
 */
import type { Locate, RawTask, TaskPart } from './validate-tasks.js';
import type { PlanIssue } from './types.js';

export interface HumanPlanDraft {
  title: string;
  tasks: RawTask[];
  locate: Locate;
}

interface MdLine {
  text: string;
  /** 1-based line in the file. */
  line: number;
  fenced: boolean;
}

interface Section {
  title: string;
  level: number;
  /** Index range in MdLine[]: body lines (after the heading). */
  from: number;
  to: number;
}

interface Row {
  line: number;
  position: number;
  number: number;
  files: string[];
  deps: number[];
  prompt: string;
}

interface Step {
  line: number;
  number: number;
  text: string;
  paths: string[];
  deps: number[];
}

const FILE_CHANGES = /file\s*changes?|files?\s+to\s+(change|modify|create|edit|touch)|changed\s+files|affected\s+files|files?\s+affected/i;
const SEQUENCE = /implementation\s+(sequence|order|steps|plan)|\bsequence\b|order\s+of\s+(work|implementation|changes)|\bsteps\b/i;
const DEPENDENCY = /\b(?:depends?\s+on|dependent\s+on|after|requires?|needs|blocked\s+by)\s*:?\s*(#\d+(?:\s*(?:,|\band\b|&|\/|\+)\s*#?\d+)*)/gi;

/** True when the Markdown looks like the human template (so parsePlan should try to convert it). */
export function looksLikeHumanPlan(body: string): boolean {
  const lines = scanMarkdown(body, 1);
  return sections(lines).some((s) => FILE_CHANGES.test(s.title) || SEQUENCE.test(s.title)) || findTable(lines, 0, lines.length, true) !== undefined;
}

export function convertHumanPlan(body: string, bodyLine: number, fallbackTitle: string): { draft: HumanPlanDraft } | { issues: PlanIssue[] } {
  const lines = scanMarkdown(body, bodyLine);
  const all = sections(lines);
  const issues: PlanIssue[] = [];
  const h1 = all.find((s) => s.level === 1);
  const title = h1?.title.trim() || fallbackTitle;

  const tableSection = all.find((s) => FILE_CHANGES.test(s.title));
  const table = tableSection ? findTable(lines, tableSection.from, tableSection.to, false) : findTable(lines, 0, lines.length, true);
  if (tableSection && !table) {
    issues.push({
      line: lines[tableSection.from - 1]?.line,
      field: 'File Changes',
      message: "the section has no table: write one such as '| # | File | Change | Depends on |' with one row per file",
    });
  }
  const rows = table ? readRows(table, lines, issues) : [];

  const sequenceSection = all.find((s) => SEQUENCE.test(s.title) && s !== tableSection);
  const steps = sequenceSection ? readSteps(lines, sequenceSection) : [];

  if (rows.length === 0 && steps.length === 0 && issues.length === 0) {
    issues.push({
      line: undefined,
      field: '(plan)',
      message:
        "no tasks found: the human template needs a '## File Changes' table ('| # | File | Change | Depends on |', one row per file) or a '## Implementation Sequence' numbered list naming files in backticks; or write the canonical form (YAML front matter with tasks:), see docs/plan-format.md",
    });
  }
  if (rows.length === 0 && steps.length === 0) return { issues };
  return rows.length > 0 ? fromRows(title, rows, steps, issues) : fromSteps(title, steps, issues);
}

function fromRows(title: string, rows: Row[], steps: Step[], issues: PlanIssue[]): { draft: HumanPlanDraft } | { issues: PlanIssue[] } {
  const byNumber = new Map<number, number>();
  rows.forEach((row, index) => {
    const seen = byNumber.get(row.number);
    if (seen !== undefined) {
      issues.push({ line: row.line, field: `File Changes row ${row.position}`, message: `row number #${row.number} is used twice (also row ${(rows[seen]?.position ?? 0)}): number the rows 1, 2, 3…` });
    } else byNumber.set(row.number, index);
  });
  const ids = uniqueIds(rows.map((row) => fileIdCandidates(row.files[0] ?? `row-${row.number}`)));
  const deps = rows.map(() => new Set<number>());
  const prompts = rows.map((row) => (row.prompt ? [row.prompt] : []));
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);

  rows.forEach((row, index) => {
    for (const n of row.deps) {
      const target = byNumber.get(n);
      if (target === undefined) {
        issues.push({ line: row.line, field: `File Changes row ${row.position}`, message: `depends on #${n}, but the table has no row #${n} (rows: ${numbers.map((x) => `#${x}`).join(', ')})` });
      } else if (target === index) {
        issues.push({ line: row.line, field: `File Changes row ${row.position}`, message: `row #${n} depends on itself: remove #${n} from its Depends on` });
      } else deps[index]?.add(target);
    }
  });

  if (steps.length > 0) {
    const stepIndex = indexSteps(steps, issues);
    const rowsByFile = new Map<string, number[]>();
    const pathsByBase = new Map<string, Set<string>>();
    rows.forEach((row, index) => {
      for (const file of row.files) {
        const key = cleanPath(file);
        rowsByFile.set(key, [...(rowsByFile.get(key) ?? []), index]);
        const base = key.slice(key.lastIndexOf('/') + 1);
        pathsByBase.set(base, (pathsByBase.get(base) ?? new Set()).add(key));
      }
    });
    const rowsOf = steps.map((step) => {
      const found = new Set<number>();
      for (const path of step.paths) {
        const key = cleanPath(path);
        const sameBase = key.includes('/') ? undefined : pathsByBase.get(key);
        const only = sameBase?.size === 1 ? [...sameBase][0] : undefined;
        for (const i of rowsByFile.get(key) ?? (only === undefined ? [] : (rowsByFile.get(only) ?? []))) found.add(i);
      }
      return [...found];
    });
    // Rows a dependency on step N stands for: its own rows, or (for a step naming no file) those of its dependencies.
    const targetsOf = (start: number): number[] => {
      const out = new Set<number>();
      const seen = new Set<number>([start]);
      const stack = [start];
      while (stack.length > 0) {
        const at = stack.pop() ?? 0;
        const own = rowsOf[at] ?? [];
        if (own.length > 0) {
          for (const r of own) out.add(r);
          continue;
        }
        for (const d of steps[at]?.deps ?? []) {
          const next = stepIndex.get(d);
          if (next !== undefined && !seen.has(next)) {
            seen.add(next);
            stack.push(next);
          }
        }
      }
      return [...out];
    };
    steps.forEach((step, s) => {
      for (const r of rowsOf[s] ?? []) prompts[r]?.push(`Step ${step.number}: ${step.text}`);
      for (const d of step.deps) {
        const target = stepIndex.get(d);
        if (target === undefined) continue;
        for (const r of rowsOf[s] ?? []) for (const q of targetsOf(target)) if (q !== r) deps[r]?.add(q);
      }
    });
  }
  if (issues.length > 0) return { issues };

  const tasks: RawTask[] = rows.map((row, index) => ({
    id: ids[index],
    files: row.files.map(cleanCellPath),
    dependsOn: [...(deps[index] ?? [])].sort((a, b) => a - b).map((i) => ids[i] ?? ''),
    prompt: prompts[index]?.length ? prompts[index].join('\n') : undefined,
  }));
  const locate: Locate = (task: number, part: TaskPart) => {
    void part;
    const row = rows[task];
    return { line: row?.line, field: `File Changes row ${row?.position ?? task + 1}` };
  };
  return { draft: { title, tasks, locate } };
}

function fromSteps(title: string, steps: Step[], issues: PlanIssue[]): { draft: HumanPlanDraft } | { issues: PlanIssue[] } {
  const stepIndex = indexSteps(steps, issues);
  for (const step of steps) {
    if (step.paths.length === 0) {
      issues.push({
        line: step.line,
        field: `Implementation Sequence step ${step.number}`,
        message: 'names no file: put the files this step changes in backticks (e.g. `src/app.ts`), or add a File Changes table listing them',
      });
    }
  }
  const ids = uniqueIds(steps.map((step) => stepIdCandidates(step)));
  if (issues.length > 0) return { issues };
  const tasks: RawTask[] = steps.map((step, index) => ({
    id: ids[index],
    files: step.paths,
    dependsOn: [...new Set(step.deps.map((d) => stepIndex.get(d)).filter((i): i is number => i !== undefined && i !== index))].map((i) => ids[i] ?? ''),
    prompt: step.text,
  }));
  const locate: Locate = (task: number) => {
    const step = steps[task];
    return { line: step?.line, field: `Implementation Sequence step ${step?.number ?? task + 1}` };
  };
  return { draft: { title, tasks, locate } };
}

/** Step number → index; reports duplicate numbers and references to missing steps. */
function indexSteps(steps: Step[], issues: PlanIssue[]): Map<number, number> {
  const index = new Map<number, number>();
  steps.forEach((step, i) => {
    if (index.has(step.number)) {
      issues.push({ line: step.line, field: `Implementation Sequence step ${step.number}`, message: `step number ${step.number} is used twice: number the steps 1, 2, 3…` });
    } else index.set(step.number, i);
  });
  const numbers = [...index.keys()].sort((a, b) => a - b).join(', ');
  for (const step of steps) {
    for (const d of step.deps) {
      if (d === step.number) {
        issues.push({ line: step.line, field: `Implementation Sequence step ${step.number}`, message: `step ${d} depends on itself: remove '#${d}'` });
      } else if (!index.has(d)) {
        issues.push({ line: step.line, field: `Implementation Sequence step ${step.number}`, message: `depends on #${d}, but there is no step ${d} (steps: ${numbers}); #N refers to the step's number in this list` });
      }
    }
  }
  return index;
}

function scanMarkdown(body: string, bodyLine: number): MdLine[] {
  let fence: string | undefined;
  return body.split(/\r?\n/).map((text, i) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === undefined ? marker : undefined;
      return { text, line: bodyLine + i, fenced: true };
    }
    return { text, line: bodyLine + i, fenced: fence !== undefined };
  });
}

function sections(lines: MdLine[]): Section[] {
  const found: Section[] = [];
  lines.forEach((line, i) => {
    if (line.fenced) return;
    const m = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line.text);
    if (m) found.push({ level: m[1]?.length ?? 1, title: stripInline(m[2] ?? ''), from: i + 1, to: lines.length });
  });
  for (let i = 0; i < found.length; i++) {
    const section = found[i];
    if (!section) continue;
    const next = found.slice(i + 1).find((s) => s.level <= section.level);
    if (next) section.to = next.from - 1;
  }
  return found;
}

interface Table {
  header: string[];
  /** The header cells as written (for messages). */
  names: string[];
  /** Index of the header line. */
  at: number;
  rows: Array<{ cells: string[]; index: number }>;
}

const SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** The first pipe table in [from, to) with a File/Path column (or, inside a File Changes section, any table). */
function findTable(lines: MdLine[], from: number, to: number, requireFile: boolean): Table | undefined {
  for (let i = from; i + 1 < to; i++) {
    const line = lines[i];
    const next = lines[i + 1];
    if (!line || !next || line.fenced || !line.text.includes('|') || !SEPARATOR.test(next.text) || !next.text.includes('-')) continue;
    const names = splitRow(line.text).map(stripInline);
    const header = names.map(normalizeHeader);
    if (requireFile && !header.some((h) => roleOf(h) === 'file')) continue;
    const rows: Table['rows'] = [];
    for (let j = i + 2; j < to; j++) {
      const row = lines[j];
      if (!row || row.fenced || !row.text.includes('|') || row.text.trim() === '') break;
      rows.push({ cells: splitRow(row.text), index: j });
    }
    return { header, names, at: i, rows };
  }
  return undefined;
}

type Role = 'number' | 'file' | 'deps' | 'change' | 'description' | 'other';

function roleOf(header: string): Role {
  if (/depend|^after$|require|blocked|prereq|^needs$|^deps$/.test(header)) return 'deps';
  if (/^(#|no\.?|n|nr\.?|num|number|step|order|seq|idx|index)$/.test(header)) return 'number';
  if (/file|path/.test(header)) return 'file';
  if (/^(changes?|action|type|operation|op|kind)$/.test(header)) return 'change';
  if (/desc|detail|note|summary|purpose|reason|why|what|change/.test(header)) return 'description';
  return 'other';
}

function readRows(table: Table, lines: MdLine[], issues: PlanIssue[]): Row[] {
  const roles = table.header.map(roleOf);
  const column = (role: Role) => roles.indexOf(role);
  const fileCol = column('file');
  if (fileCol === -1) {
    issues.push({
      line: lines[table.at]?.line,
      field: 'File Changes',
      message: `the table has no File column (columns: ${table.names.map((h) => `'${h}'`).join(', ')}): name the column with the paths 'File'`,
    });
    return [];
  }
  const numberCol = column('number');
  const depsCol = column('deps');
  const rows: Row[] = [];
  table.rows.forEach(({ cells, index }, position0) => {
    const position = position0 + 1;
    const line = lines[index]?.line;
    const field = `File Changes row ${position}`;
    let number = position;
    if (numberCol !== -1) {
      const cell = stripInline(cells[numberCol] ?? '');
      const m = /^#?\s*(\d+)\.?$/.exec(cell);
      if (m) number = Number(m[1]);
      else issues.push({ line, field, message: `the '${table.names[numberCol]}' cell '${cell}' is not a row number: write 1, 2, 3…` });
    }
    const files = cellPaths(cells[fileCol] ?? '');
    if (files.length === 0) issues.push({ line, field, message: `names no file in the '${table.names[fileCol]}' column: write the repo-relative path, e.g. \`src/app.ts\`` });
    const deps = new Set<number>();
    if (depsCol !== -1) {
      const cell = stripInline(cells[depsCol] ?? '');
      if (!/^(|-+|—|–|none|n\/a|na|no)$/i.test(cell)) {
        const numbers = cell.match(/\d+/g);
        if (numbers) for (const n of numbers) deps.add(Number(n));
        else issues.push({ line, field, message: `the '${table.names[depsCol]}' cell '${cell}' names no row: write row numbers like '#1, #3' (or leave it empty)` });
      }
    }
    const prompt: string[] = [];
    cells.forEach((cell, c) => {
      if (c === fileCol || c === numberCol) return;
      if (c !== depsCol) for (const n of dependencyRefs(cell)) deps.add(n);
      const role = roles[c];
      const text = cell.trim();
      if ((role === 'change' || role === 'description' || role === 'other') && text !== '') prompt.push(role === 'change' ? `${text}:` : text);
    });
    rows.push({ line: line ?? 0, position, number, files, deps: [...deps], prompt: prompt.join(' ').replace(/:$/, '') });
  });
  return rows;
}

function readSteps(lines: MdLine[], section: Section): Step[] {
  const steps: Array<Omit<Step, 'paths' | 'deps'>> = [];
  for (let i = section.from; i < section.to; i++) {
    const line = lines[i];
    if (!line || line.fenced) continue;
    const m = /^ {0,3}(\d+)[.)]\s+(.*)$/.exec(line.text);
    const last = steps[steps.length - 1];
    if (m) steps.push({ line: line.line, number: Number(m[1]), text: (m[2] ?? '').trim() });
    else if (last && line.text.trim() !== '') last.text = `${last.text} ${line.text.trim()}`;
  }
  return steps.map((step) => ({ ...step, paths: backtickPaths(step.text), deps: dependencyRefs(step.text) }));
}

function dependencyRefs(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(DEPENDENCY)) for (const n of (m[1] ?? '').match(/\d+/g) ?? []) out.push(Number(n));
  return out;
}

/** Paths in a File cell: every `backticked` path, else comma-separated text with "(new)"-style notes removed. */
function cellPaths(cell: string): string[] {
  const ticked = [...cell.matchAll(/`([^`]+)`/g)].map((m) => (m[1] ?? '').trim()).filter((p) => p !== '');
  if (ticked.length > 0) return ticked;
  return stripInline(cell)
    .split(/,|<br\s*\/?>|;/i)
    .map((part) => part.replace(/\s*\([^)]*\)\s*$/, '').trim())
    .filter((part) => part !== '');
}

/** Backticked tokens in free text that look like file paths: no spaces, and a '/' or a file extension. */
function backtickPaths(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const token = m[1] ?? '';
    if ((token.includes('/') || /\.[A-Za-z0-9]+$/.test(token)) && !/[()=<>{}]/.test(token) && !out.includes(token)) out.push(token);
  }
  return out;
}

function cleanCellPath(path: string): string {
  return path.trim();
}

/** For matching step paths to table files: './a//b' and 'a/b' are the same file. */
function cleanPath(path: string): string {
  return path
    .trim()
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

function splitRow(text: string): string[] {
  let row = text.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let current = '';
  let code = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i];
    if (ch === '\\' && row[i + 1] === '|') {
      current += '|';
      i++;
    } else if (ch === '`') {
      code = !code;
      current += ch;
    } else if (ch === '|' && !code) {
      cells.push(current.trim());
      current = '';
    } else current += ch;
  }
  cells.push(current.trim());
  return cells;
}

function normalizeHeader(cell: string): string {
  return stripInline(cell).toLowerCase().replace(/\s+/g, ' ');
}

/** Markdown emphasis, code ticks and links reduced to their text. */
function stripInline(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .trim();
}

export function kebab(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/** Id candidates for a file, shortest first: stem, then parent-stem. */
function fileIdCandidates(file: string): string[] {
  const parts = cleanPath(file).split('/');
  const base = parts[parts.length - 1] ?? file;
  const dot = base.lastIndexOf('.');
  const stem = kebab(dot > 0 ? base.slice(0, dot) : base) || kebab(base) || 'task';
  const parent = parts.length > 1 ? kebab(parts[parts.length - 2] ?? '') : '';
  return parent ? [stem, `${parent}-${stem}`.slice(0, 48).replace(/-+$/, '')] : [stem];
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'in', 'on', 'at', 'to', 'of', 'for', 'with', 'and', 'or', 'its', 'it', 'this', 'that', 'from', 'into', 'by', 'as', 'then']);

/** A step's id: its first four meaningful words, plus the first file's stem when the text alone says too little. */
function stepIdCandidates(step: Step): string[] {
  const words = step.text
    .replace(/`[^`]*`/g, ' ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(DEPENDENCY, ' ')
    .split(/\s+/)
    .map(kebab)
    .filter((w) => w !== '' && !STOP_WORDS.has(w))
    .slice(0, 4);
  const fromFile = step.paths[0] ? fileIdCandidates(step.paths[0]) : [];
  if (words.length < 2 && fromFile[0]) words.push(fromFile[0]);
  const fromText = kebab(words.join('-'));
  return fromText ? [fromText, ...fromFile] : fromFile.length > 0 ? fromFile : [`step-${step.number}`];
}

/** Picks, per item, the first candidate no other item also wants; clashes left get -2, -3… in plan order. */
function uniqueIds(candidates: string[][]): string[] {
  const firstChoice = new Map<string, number>();
  for (const c of candidates) firstChoice.set(c[0] ?? 'task', (firstChoice.get(c[0] ?? 'task') ?? 0) + 1);
  const wanted = candidates.map((c) => ((firstChoice.get(c[0] ?? 'task') ?? 0) > 1 ? (c[c.length - 1] ?? 'task') : (c[0] ?? 'task')));
  const used = new Set<string>();
  return wanted.map((id) => {
    let unique = id;
    for (let n = 2; used.has(unique); n++) unique = `${id}-${n}`;
    used.add(unique);
    return unique;
  });
}
