// The plugin's files are generated from src/install (src/install/plugin-layout.ts lists them) by `npm run build`:
// these tests fail when the committed ones drift, and check what the layout must hold.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../../../src/install/files.js';
import { COMMAND_NAMES, FANOUT_VERSION, marketplaceFiles, PLUGIN_DIR, pluginFiles, pluginHooksJson, renderCommands, TOOL_MATCHER } from '../../../src/install/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const json = (rel: string) => JSON.parse(readFileSync(join(ROOT, rel), 'utf8')) as Record<string, unknown>;

const STALE = 'run `npm run build` and commit the result';

describe('generated plugin files are up to date', () => {
  it.each(renderCommands('plugin').map((c) => [`${c.name}.md`, c.content] as const))('commands/%s', async (file, content) => {
    await expect(content).toMatchFileSnapshot(join(ROOT, 'commands', file));
  });

  it('commands/ holds exactly the generated commands', () => {
    const files = readdirSync(join(ROOT, 'commands')).filter((f) => f.endsWith('.md')).sort();
    expect(files).toEqual(COMMAND_NAMES.map((n) => `${n}.md`).sort());
  });

  it('hooks/hooks.json', async () => {
    await expect(`${JSON.stringify(pluginHooksJson(), null, 2)}\n`).toMatchFileSnapshot(join(ROOT, 'hooks', 'hooks.json'));
  });

  it('the root holds the layout\'s root files and the marketplace', () => {
    const generated = [...pluginFiles().filter((f) => f.root), ...marketplaceFiles()];
    for (const file of generated) {
      if (!('text' in file)) continue;
      expect(readFileSync(join(ROOT, file.path), 'utf8'), `${file.path} is stale: ${STALE}`).toBe(file.text);
    }
  });

  it(`${PLUGIN_DIR}/ holds exactly the layout's files, generated ones equal to the sources and copies equal to the originals`, () => {
    const expected = new Map<string, Buffer>();
    for (const file of pluginFiles()) {
      if ('text' in file) expected.set(file.path, Buffer.from(file.text));
      else if (statSync(join(ROOT, file.from)).isDirectory()) for (const rel of listFiles(join(ROOT, file.from))) expected.set(`${file.path}/${rel}`, readFileSync(join(ROOT, file.from, rel)));
      else expected.set(file.path, readFileSync(join(ROOT, file.from)));
    }
    const plugin = join(ROOT, PLUGIN_DIR);
    expect(listFiles(plugin), `${PLUGIN_DIR}/ is stale: ${STALE}`).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) expect(readFileSync(join(plugin, path)).equals(bytes), `${PLUGIN_DIR}/${path} is stale: ${STALE}`).toBe(true);
  });

  it(`every \${CLAUDE_PLUGIN_ROOT} path the hooks and commands use is in ${PLUGIN_DIR}/`, () => {
    const referenced = new Set<string>();
    for (const file of pluginFiles()) {
      if (!('text' in file)) continue;
      for (const match of file.text.matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/([^"'`\\\s)]+)/g)) referenced.add(match[1] ?? '');
    }
    expect([...referenced]).toEqual(expect.arrayContaining(['dist/cli.mjs', 'dist/hook.cjs', 'dist/plugin/pre-tool-use.sh']));
    for (const path of referenced) expect(existsSync(join(ROOT, PLUGIN_DIR, path)), `${PLUGIN_DIR}/${path}`).toBe(true);
    // A hooks module (hooks.json "modules") must ship too. Claude Code resolves its path from hooks/ (checked with
    // `claude plugin validate` on 2.1.328): "../dist/x.mjs" is plugin/dist/x.mjs.
    for (const module of (pluginHooksJson() as { modules?: string[] }).modules ?? []) {
      expect(existsSync(join(ROOT, PLUGIN_DIR, 'hooks', module)), `${PLUGIN_DIR}/hooks/${module}`).toBe(true);
    }
  });
});

describe('manifests', () => {
  const pkg = json('package.json');

  it('plugin.json: name fanout, package.json version and description', () => {
    const plugin = json('.claude-plugin/plugin.json');
    expect(plugin['name']).toBe('fanout');
    expect(plugin['version']).toBe(pkg['version']);
    expect(FANOUT_VERSION).toBe(pkg['version']);
    expect(plugin['license']).toBe(pkg['license']);
    expect(typeof plugin['description']).toBe('string');
    expect(plugin['author']).toMatchObject({ name: expect.any(String) });
  });

  it('marketplace.json lists plugin/ as the fanout plugin, same version', () => {
    const market = json('.claude-plugin/marketplace.json');
    expect(market['name']).toBe('fanout');
    expect(market['owner']).toMatchObject({ name: expect.any(String) });
    const plugins = market['plugins'] as Array<Record<string, unknown>>;
    expect(plugins).toHaveLength(1);
    expect(plugins[0]).toMatchObject({ name: 'fanout', source: `./${PLUGIN_DIR}`, version: pkg['version'] });
    expect((market['metadata'] as Record<string, unknown>)['version']).toBe(pkg['version']);
  });

  it('plugin/ has the same manifest as the root, and no package.json (a marketplace install would run npm ci there)', () => {
    expect(json(`${PLUGIN_DIR}/.claude-plugin/plugin.json`)).toEqual(json('.claude-plugin/plugin.json'));
    expect(existsSync(join(ROOT, PLUGIN_DIR, 'package.json'))).toBe(false);
  });

  it('package.json: the npm package ships the bundles and the plugin files, and needs no runtime dependency', () => {
    expect(pkg['files']).toEqual(['dist', 'hooks', 'commands', '.claude-plugin/plugin.json']);
    expect(pkg['dependencies'] ?? {}).toEqual({});
    expect(pkg['bin']).toEqual({ fanout: 'dist/cli.mjs' });
  });
});

/** Claude Code's matcher rule (spec §3.1): '*', '' or none → all; only [A-Za-z0-9_|, -] → exact names; else an unanchored regex. */
function matches(matcher: string | undefined, tool: string): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  if (/^[A-Za-z0-9_|, -]+$/.test(matcher)) return matcher.split(/[|,]/).map((s) => s.trim()).includes(tool);
  return new RegExp(matcher).test(tool);
}

describe('the tool matcher', () => {
  it.each(['Bash', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Agent', 'Task', 'Skill', 'mcp__fs__write_file', 'mcp__github__create_or_update_file'])('runs the guard for %s', (tool) => {
    expect(matches(TOOL_MATCHER, tool)).toBe(true);
  });

  it.each(['Read', 'Glob', 'Grep', 'WebFetch', 'WebSearch', 'TodoWrite', 'BashOutput', 'ToolSearch', 'mcp__', 'XBash'])('skips %s', (tool) => {
    expect(matches(TOOL_MATCHER, tool)).toBe(false);
  });
});
