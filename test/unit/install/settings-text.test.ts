import { describe, expect, it } from 'vitest';
import { formatSettings, parseSettingsText } from '../../../src/install/index.js';

describe('parseSettingsText', () => {
  it.each([
    ['a trailing comma', '{\n  "model": "opus",\n}\n', 3, 1],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}\n', 3, 3],
    ['an unclosed object', '{\n  "a": 1\n', 3, 1],
    ['garbage after the object', '{}\nnope\n', 2, 1],
    ['a comment', '{\n  // note\n  "a": 1\n}\n', 2, 3],
  ])('gives line and column for %s', (_name, text, line, column) => {
    const result = parseSettingsText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([result.line, result.column]).toEqual([line, column]);
    expect(result.message).not.toMatch(/position/);
    expect(result.message.length).toBeGreaterThan(5);
  });

  it('calls an empty file what it is', () => {
    const result = parseSettingsText('  \n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('empty');
  });

  it('parses valid JSON of any kind (shape checks come later)', () => {
    expect(parseSettingsText('[1]')).toMatchObject({ ok: true, value: [1] });
    expect(parseSettingsText('\uFEFF{"a":1}')).toMatchObject({ ok: true, value: { a: 1 }, style: { bom: true } });
  });
});

describe('formatSettings keeps the file\'s style', () => {
  it.each([
    ['two spaces', '{\n  "a": {\n    "b": 1\n  }\n}\n'],
    ['four spaces', '{\n    "a": {\n        "b": 1\n    }\n}\n'],
    ['tabs', '{\n\t"a": {\n\t\t"b": 1\n\t}\n}\n'],
    ['CRLF and no final newline', '{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}'],
    ['a BOM', '\uFEFF{\n  "a": {\n    "b": 1\n  }\n}\n'],
  ])('%s: unchanged content formats back byte for byte', (_name, text) => {
    const parsed = parseSettingsText(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(formatSettings(parsed.value, parsed.style)).toBe(text);
  });
});
