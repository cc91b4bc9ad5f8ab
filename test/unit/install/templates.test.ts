import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { defaultConstraints, parseConstraints } from '../../../src/constraints/index.js';
import { CONSTRAINTS_PROSE_MARKER, COMMAND_NAMES, renderCommands, renderConstraintsTemplate } from '../../../src/install/index.js';

function frontMatter(content: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(content);
  if (!match) throw new Error('no front matter');
  return yaml.safeLoad(match[1] ?? '') as Record<string, unknown>;
}

describe('slash command templates', () => {
  it('render the same commands for both installs', () => {
    expect(renderCommands('plugin').map((c) => c.name)).toEqual(COMMAND_NAMES);
    expect(renderCommands('repo').map((c) => c.name)).toEqual(COMMAND_NAMES);
    expect(COMMAND_NAMES).toEqual(['orchestrate', 'scout', 'plan', 'orchestrate-status', 'orchestrate-cleanup', 'constraints']);
  });

  it.each([
    ['plugin', 'node "${CLAUDE_PLUGIN_ROOT}/dist/cli.mjs"', '/fanout:'],
    ['repo', 'node "${CLAUDE_PROJECT_DIR}/.claude/fanout/cli.mjs"', '/'],
  ] as const)('%s: front matter grants exactly the CLI, bodies call it that way', (target, cli, slash) => {
    for (const { name, content } of renderCommands(target)) {
      const data = frontMatter(content);
      expect(typeof data['description'], name).toBe('string');
      expect(data['allowed-tools'], name).toBe(`Bash(${cli}:*)`);
      if (name !== 'constraints') expect(typeof data['argument-hint'], name).toBe('string');
      const body = content.slice(content.indexOf('\n---\n') + 5);
      if (name !== 'scout') expect(body, name).toContain(`\`${cli} `);
      // Every CLI call in the body has exactly the granted prefix.
      for (const call of body.matchAll(/`(node [^`]*)`/g)) expect(call[1] === cli || call[1]?.startsWith(`${cli} `), `${name}: ${call[1]}`).toBe(true);
      // Other fanout commands are named the way this install exposes them.
      for (const ref of body.matchAll(/`(\/[a-z:-]+)`/g)) expect(ref[1]?.startsWith(slash), `${name}: ${ref[1]}`).toBe(true);
    }
  });

  it('never uses the unbraced $CLAUDE_PROJECT_DIR (Claude Code substitutes only the braced form)', () => {
    for (const { content } of renderCommands('repo')) expect(content).not.toMatch(/\$CLAUDE_PROJECT_DIR/);
  });

  it('takes arguments as $ARGUMENTS, never positional $1 (0-based in Claude Code)', () => {
    for (const target of ['plugin', 'repo'] as const) {
      for (const { name, content } of renderCommands(target)) {
        expect(content, name).not.toMatch(/\$[1-9]\b/);
        if (name !== 'constraints') expect(content, name).toContain('$ARGUMENTS');
      }
    }
  });

  it('has no `!` shell lines: they bypass the PreToolUse guard', () => {
    for (const { content } of renderCommands('plugin')) expect(content).not.toMatch(/(^|\s)!`/m);
  });

  it('/orchestrate covers both inputs: sizing a plan file and the scout → bundle → plan → approval flow', () => {
    const body = renderCommands('plugin').find((c) => c.name === 'orchestrate')?.content ?? '';
    expect(body).toContain('plan <plan file> --json');
    expect(body).toContain('orchestrate <plan file>');
    expect(body).toContain('report.json');
    expect(body).toMatch(/\*\*direct\*\*/);
    expect(body).toMatch(/\*\*sequential\*\*/);
    expect(body).toContain('.fanout/plans/<slug>.md');
    expect(body).toContain('doctor --constraints');
    expect(body).toMatch(/Agent tool, all in one message/);
    expect(body).toMatch(/approve/);
  });
});

describe('constraints template', () => {
  const context = { repoRoot: '/repo', tmpdir: undefined, source: '/repo/.claude/constraints.md' };

  it('parses and enforces exactly the built-in defaults', () => {
    const parsed = parseConstraints(renderConstraintsTemplate(), context);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { prose, source, ...rules } = parsed.constraints;
    const { prose: _p, source: _s, ...defaults } = defaultConstraints({ repoRoot: '/repo', tmpdir: undefined });
    expect(rules).toEqual(defaults);
    expect(source).toBe(context.source);
    expect(prose).toContain(CONSTRAINTS_PROSE_MARKER);
  });

  it('explains every rule with a comment', () => {
    const text = renderConstraintsTemplate();
    for (const key of ['locked:', 'stop_triggers:', 'boundary:', 'temp_roots:', 'ports:', 'gate:']) {
      const line = text.split('\n').findIndex((l) => l.startsWith(key));
      expect(line, key).toBeGreaterThan(0);
      expect(text.split('\n')[line - 1], key).toMatch(/^#/);
    }
  });
});
