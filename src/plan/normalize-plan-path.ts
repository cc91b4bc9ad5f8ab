// Task files are repo-relative POSIX paths; anything that could leave the repo or touch .git is refused here.

export type NormalizePlanPathResult = { ok: true; path: string } | { ok: false; message: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Checks one task file and gives its normal form (`./a//b` → `a/b`), or why it is refused and what to write instead. */
export function normalizePlanPath(raw: string): NormalizePlanPathResult {
  if (raw.trim() === '') return { ok: false, message: 'empty path: write a repo-relative file path such as src/app.ts' };
  if (CONTROL.test(raw)) {
    return { ok: false, message: `${JSON.stringify(raw)} contains a control character (NUL, newline, tab…): write the path on one line with printable characters` };
  }
  if (raw !== raw.trim()) return { ok: false, message: `${JSON.stringify(raw)} has leading or trailing spaces: remove them` };
  if (raw.includes('\\')) return { ok: false, message: `'${raw}' contains a backslash: use forward slashes (${raw.replace(/\\/g, '/')})` };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    return { ok: false, message: `'${raw}' is absolute: write it relative to the repo root (e.g. src/app.ts, not /home/me/repo/src/app.ts)` };
  }
  if (raw.startsWith('~')) return { ok: false, message: `'${raw}' points into a home directory: write a path relative to the repo root` };
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ok: false, message: `'${raw}' contains a '..' segment and could leave the repo: write the path from the repo root without '..'` };
  if (segments.length === 0) return { ok: false, message: `'${raw}' names the repo root, not a file: list the files the task changes` };
  if (segments.some((segment) => segment.toLowerCase() === '.git')) {
    return { ok: false, message: `'${raw}' points into .git/: agents must never edit git's own files; list working-tree files only` };
  }
  return { ok: true, path: segments.join('/') };
}
