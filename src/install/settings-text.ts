// Settings files as text: parse with a line:column for broken JSON, and write back in the file's own style.

export interface SettingsStyle {
  indent: string;
  newline: '\n' | '\r\n';
  bom: boolean;
  finalNewline: boolean;
}

export type ParseSettingsResult =
  | { ok: true; value: unknown; style: SettingsStyle }
  | { ok: false; line: number; column: number; message: string };

export const DEFAULT_STYLE: SettingsStyle = { indent: '  ', newline: '\n', bom: false, finalNewline: true };

export function parseSettingsText(text: string): ParseSettingsResult {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, line: 1, column: 1, message: 'the file is empty; a settings file holds one JSON object, at least {}' };
  try {
    return { ok: true, value: JSON.parse(body) as unknown, style: detectStyle(body, bom) };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(raw);
    const offset = position ? Number(position[1]) : body.length;
    const { line, column } = lineColumn(body, offset);
    const message = raw.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/ in JSON$/, '') || 'invalid JSON';
    return { ok: false, line, column, message };
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

function detectStyle(text: string, bom: boolean): SettingsStyle {
  const indent = /^([ \t]+)["}\]]/m.exec(text)?.[1] ?? DEFAULT_STYLE.indent;
  return { indent, newline: text.includes('\r\n') ? '\r\n' : '\n', bom, finalNewline: /\n$/.test(text) || text.trim() === '' };
}

export function formatSettings(value: unknown, style: SettingsStyle = DEFAULT_STYLE): string {
  let text = JSON.stringify(value, null, style.indent);
  if (style.finalNewline) text += '\n';
  if (style.newline === '\r\n') text = text.replace(/\n/g, '\r\n');
  return style.bom ? `\uFEFF${text}` : text;
}
