// The guard's shape: rules are plugins of the analysis (no import circle), and src/guard stays pure so it can be
// bundled for runtimes without Node (no fs, no process, no node builtins but path's posix functions).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_MODULES, rulesFor } from '../../../src/guard/rule-registry.js';
import { literalArg, newState } from '../../../src/guard/resolve-word.js';
import type { Invocation } from '../../../src/guard/rule-context.js';

const dir = join(import.meta.dirname, '../../../src/guard');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
const source = (file: string): string => readFileSync(join(dir, file), 'utf8');
const imports = (file: string): string[] => [...source(file).matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gm)].map((m) => m[1] as string);

describe('rules are plugins of the analysis', () => {
  const ruleFiles = files.filter((f) => f.startsWith('rules-'));

  it('has rule modules to check', () => expect(ruleFiles.length).toBeGreaterThanOrEqual(9));

  it.each(ruleFiles)('%s imports neither the analyzer, the registry nor another rule file', (file) => {
    const local = imports(file).filter((i) => i.startsWith('./'));
    expect(local.filter((i) => /^\.\/(?:analyze-command|rule-registry|rules-)/.test(i)), file).toEqual([]);
  });

  it('the analysis interface and the helpers rules share import no rule and no analyzer', () => {
    for (const file of ['rule-context.ts', 'stdin-content.ts', 'list-items.ts', 'parse-git.ts', 'flags.ts', 'resolve-word.ts', 'classify-path.ts', 'judge-targets.ts', 'scan-code.ts', 'unwrap-command.ts', 'builtin-effects.ts']) {
      expect(imports(file).filter((i) => /^\.\/(?:analyze-command|rule-registry|rules-)/.test(i)), file).toEqual([]);
    }
  });

  it('only the registry lists rule files', () => {
    const importers = files.filter((f) => !f.startsWith('rules-') && imports(f).some((i) => i.startsWith('./rules-')));
    expect(importers).toEqual(['rule-registry.ts']);
  });

  it('every module has a unique kebab-case name and judges at least one command', () => {
    const names = RULE_MODULES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const module of RULE_MODULES) {
      expect(module.name).toMatch(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/);
      expect(module.commands.length, module.name).toBeGreaterThan(0);
    }
  });

  it('the registry finds a command family by name, versioned interpreters included', () => {
    const inv = (name: string): Invocation => ({ args: [literalArg(name)], name, wrappers: [], unwrapped: { args: [], wrappers: [], env: [] }, state: newState('/'), segment: name, background: false, stdin: undefined, assigns: new Map(), depth: 0, inLoop: false });
    expect(rulesFor(inv('git')).map((m) => m.name)).toContain('git');
    expect(rulesFor(inv('python3.12')).map((m) => m.name)).toContain('interpreter');
    expect(rulesFor(inv('mkfs.ext4')).map((m) => m.name)).toContain('disk-tool');
    expect(rulesFor(inv('ls')).map((m) => m.name)).not.toContain('git');
  });
});

describe('src/guard is pure', () => {
  it.each(files)('%s uses no node builtin but path.posix, and no fs, process or globals of a runtime', (file) => {
    const text = source(file);
    for (const spec of imports(file).filter((i) => !i.startsWith('.'))) expect(['node:path', 'unbash'], `${file} imports ${spec}`).toContain(spec);
    const nodePath = [...text.matchAll(/^import ([^;]*) from 'node:path'/gm)].map((m) => m[1]);
    for (const what of nodePath) expect(what, file).toBe('{ posix }');
    const code = text.replace(/\/\*[^]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(code, file).not.toMatch(/\bprocess\.(?:env|cwd|argv|exit|platform)\b|\brequire\(|\bglobalThis\b|\bDate\.now\(/);
  });
});
