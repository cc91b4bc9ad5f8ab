// Splits '---' YAML front matter from Markdown, with the YAML engine gray-matter uses (js-yaml 3,
// safeLoad), but without gray-matter's other dependencies: the hook bundle needs this on every call.
import yaml from 'js-yaml';
import { locateYamlField } from './locate-yaml-field.js';

export interface FrontMatter {
  data: unknown;
  content: string;
  /** 1-based line of the first YAML line in the file (the line after the opening '---'). */
  dataLine: number;
  /** The raw YAML text, for locating fields in error messages. */
  yaml: string;
}

export type FrontMatterResult = { ok: true; value: FrontMatter } | { ok: false; line: number | undefined; message: string };

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;

export function splitFrontMatter(input: string): FrontMatterResult {
  // Files saved on Windows: line numbers and the closing '---' must not depend on line endings.
  const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  const open = OPEN.exec(text);
  if (!open) return { ok: true, value: { data: {}, content: text, dataLine: 1, yaml: '' } };
  const rest = text.slice(open[0].length);
  const close = /^---[ \t]*$/m.exec(rest);
  if (!close) return { ok: false, line: 1, message: "front matter opened with '---' is never closed: add a line '---' after the YAML" };
  const source = rest.slice(0, close.index);
  const content = rest.slice(close.index + close[0].length).replace(/^\r?\n/, '');
  try {
    const data = yaml.safeLoad(source, { json: false }) ?? {};
    return { ok: true, value: { data, content, dataLine: 2, yaml: source } };
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
    return { ok: false, line: mark?.line === undefined ? undefined : mark.line + 2, message: `invalid YAML: ${reason}` };
  }
}

/** 1-based file line of a field path (e.g. ['locked', 2, 'level']) inside front matter; undefined when it cannot tell. */
export function locateField(matter: Pick<FrontMatter, 'yaml' | 'dataLine'>, path: ReadonlyArray<PropertyKey>): number | undefined {
  const parts = path.filter((key): key is string | number => typeof key === 'string' || typeof key === 'number');
  return locateYamlField(matter.yaml, matter.dataLine, parts);
}
