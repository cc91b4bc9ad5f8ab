// Real git repos in temp dirs for tests: identity set in the repo itself, branch main, no gpg.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(files: Record<string, string>): void;
  cleanup(): void;
}

export function tempRepo(files: Record<string, string> = { 'README.md': '# test\n' }, options: { commit?: boolean } = {}): TempRepo {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-test-')));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'fanout test');
  git('config', 'user.email', 'test@fanout.invalid');
  git('config', 'commit.gpgsign', 'false');
  const write = (more: Record<string, string>) => {
    for (const [path, content] of Object.entries(more)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  };
  write(files);
  if (options.commit !== false && Object.keys(files).length > 0) {
    git('add', '-A');
    git('commit', '-q', '-m', 'initial');
  }
  return { dir, git, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
