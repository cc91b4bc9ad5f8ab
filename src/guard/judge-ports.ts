// Locked ports: text that binds a port the constraints reserve for a service, in a place that is not that service's.
//
// Heuristic (documented in docs/guard.md): a binding is `port`/`PORT` set to the number (`PORT=5432`, `port: 5432`,
// `"port": 5432`, `port=5432` as a keyword argument), a listen/bind call (`listen(5432`, `ListenAndServe(":5432"`),
// a host-side port mapping (`"5432:5432"`, `-p 5432:80`), `EXPOSE 5432`, `listen 5432;`, `--port 5432`.
// Connections are not bindings: `postgres://localhost:5432/db` and `DB_PORT=5432` do not match.
// The binding belongs to the service when the service's name appears in the file's path or within the
// 8 lines before and 3 after the match (a compose service block, a comment, the image name).

const BINDINGS: RegExp[] = [
  /(?<![\w-])(?:server\.|http\.)?port["']?\s*[:=]\s*["']?(\d{1,5})\b/gi,
  /\bport\b["']?\s*(?:\|\||\?\?|,|\bor\b)\s*["']?(\d{1,5})\b/gi,
  /\b(?:listen|ListenAndServe(?:TLS)?|bind|serve)\s*\(\s*["']?(?:[\w.-]*:)?(\d{1,5})\b/g,
  /\bbind\s*\(\s*\(\s*["'][^"']*["']\s*,\s*(\d{1,5})\b/g,
  /(?<![\w.:/-])(\d{2,5}):\d{1,5}(?![\d.:])/g,
  /\bEXPOSE\s+(\d{1,5})\b/g,
  /^\s*[Ll]isten\s+(?:[\w.[\]:]+:)?(\d{1,5})\b/gm,
  /--port[= ]\s*(\d{1,5})\b/g,
];

export interface PortBinding {
  port: number;
  service: string;
  line: number;
}

/** Locked ports bound in `text` (a file's new content) by something other than their service. */
export function lockedPortBindings(text: string, path: string, ports: Record<number, string>): PortBinding[] {
  const locked = Object.keys(ports);
  if (locked.length === 0 || !locked.some((port) => text.includes(port))) return [];
  const sample = text.length > 1_000_000 ? text.slice(0, 1_000_000) : text;
  const lines = sample.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const lineAt = (index: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const found: PortBinding[] = [];
  const seen = new Set<string>();
  for (const pattern of BINDINGS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(sample); match; match = pattern.exec(sample)) {
      const port = Number(match[1]);
      const service = ports[port];
      if (service === undefined) continue;
      const line = lineAt(match.index);
      const window = lines.slice(Math.max(0, line - 8), line + 4).join('\n').toLowerCase();
      const name = service.toLowerCase();
      if (path.toLowerCase().includes(name) || window.includes(name)) continue;
      const key = `${port}:${line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ port, service, line: line + 1 });
    }
  }
  return found;
}

export function portMessage(binding: PortBinding, where: string): string {
  return `${where} binds port ${binding.port}${binding.line > 0 ? ` (line ${binding.line})` : ''}, which the constraints reserve for ${binding.service}; two services on one port break each other. Pick another port, or ask a human to change the reservation in .claude/constraints.md.`;
}
