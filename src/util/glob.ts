// A small glob matcher for locked paths and triggers: the hook loads on every tool call, and picomatch
// alone costs ~3 ms of start-up there. Supports **, *, ?, [...], [!...] and {a,b}; dotfiles always match.

const cache = new Map<string, RegExp>();

function escape(char: string): string {
  return /[.+^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let out = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const atStart = i === 0 || pattern[i - 1] === '/';
        const atEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
        if (atStart && atEnd) {
          // '**/' matches zero or more directories; a trailing '**' matches everything below.
          if (pattern[i + 2] === '/') {
            out += '(?:[^/]*(?:/|$))*';
            i += 2;
          } else {
            out += '.*';
            i += 1;
          }
          continue;
        }
        i += 1;
      }
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (char === '{') {
      braces++;
      out += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (char === ',' && braces > 0) {
      out += '|';
    } else if (char === '\\' && i + 1 < pattern.length) {
      out += escape(pattern[++i] as string);
    } else {
      out += escape(char);
    }
  }
  const regexp = new RegExp(`^${out}$`);
  cache.set(pattern, regexp);
  return regexp;
}

/**
 * Does a repo-relative POSIX path match the glob? A pattern without '/' matches the basename
 * anywhere (like .gitignore): '.env' matches 'config/.env'.
 */
export function matchGlob(pattern: string, path: string): boolean {
  const normalized = pattern.startsWith('./') ? pattern.slice(2) : pattern.startsWith('/') ? pattern.slice(1) : pattern;
  if (!normalized.includes('/')) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    return globToRegExp(normalized).test(base);
  }
  return globToRegExp(normalized).test(path);
}
