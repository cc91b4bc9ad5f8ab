import { describe, expect, it } from 'vitest';
import { matchGlob } from '../../src/util/glob.js';

describe('matchGlob', () => {
  it.each([
    ['.env', '.env', true],
    ['.env', 'config/.env', true],
    ['.env', '.env.local', false],
    ['.env.*', '.env.local', true],
    ['.env.*', 'apps/web/.env.production', true],
    ['.env.*', '.env', false],
    ['*.lock', 'Cargo.lock', true],
    ['*.lock', 'crates/a/Cargo.lock', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**', 'src/a/b/c.ts', true],
    ['src/**', 'lib/a.ts', false],
    ['**/migrations/**', 'db/migrations/001.sql', true],
    ['**/migrations/**', 'migrations/001.sql', true],
    ['**/migrations/**', 'src/migrate.ts', false],
    ['.claude/settings.json', '.claude/settings.json', true],
    ['.claude/settings.json', 'x/.claude/settings.json', false],
    ['/.claude/settings.json', '.claude/settings.json', true],
    ['*.{yml,yaml}', 'ci/build.yaml', true],
    ['*.{yml,yaml}', 'ci/build.json', false],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file12.txt', false],
    ['[!a]*.md', 'b.md', true],
    ['[!a]*.md', 'a.md', false],
    ['a.b', 'aXb', false],
    ['secrets/*', 'secrets/.hidden', true],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(matchGlob(pattern, path)).toBe(expected);
  });
});
