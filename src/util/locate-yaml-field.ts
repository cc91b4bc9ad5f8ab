// Line of a field inside block-style YAML, indentation-aware: counting every '- ' line would, in a task list,
// land on a nested files entry instead of the next task. Shared by the plan and constraints parsers.

interface YamlLine {
  indent: number;
  /** Column of the mapping key on this line (after '- ' on a list item line). */
  keyCol: number;
  dash: boolean;
  content: boolean;
  text: string;
}

function scan(yaml: string): YamlLine[] {
  return yaml.split('\n').map((text) => {
    const indent = /^ */.exec(text)?.[0].length ?? 0;
    const rest = text.slice(indent);
    const content = rest.trim() !== '' && !rest.startsWith('#');
    const dashMatch = /^-( +|$)/.exec(rest);
    const dash = content && dashMatch !== null;
    return { indent, keyCol: dash && dashMatch ? indent + dashMatch[0].length : indent, dash, content, text };
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based file line of a path like ['tasks', 2, 'files', 0]; the deepest part it can find (flow style stops early). */
export function locateYamlField(yaml: string, dataLine: number, path: ReadonlyArray<string | number>): number | undefined {
  return yamlLocator(yaml, dataLine)(path);
}

/** A locator for one YAML text: lines are scanned once and list items indexed once, so many lookups stay cheap. */
export function yamlLocator(yaml: string, dataLine: number): (path: ReadonlyArray<string | number>) => number | undefined {
  const lines = scan(yaml);
  const itemCache = new Map<string, number[]>();
  const childEndCache = new Map<string, number>();
  const firstContent = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (lines[i]?.content) return i;
    return undefined;
  };
  return (path) => {
    let start = 0;
    let end = lines.length;
    let found: number | undefined;
    for (const part of path) {
      const first = firstContent(start, end);
      if (first === undefined) break;
      const head = lines[first];
      if (!head) break;
      if (typeof part === 'number') {
        if (!head.dash) break;
        const key = `${first}:${end}`;
        let items = itemCache.get(key);
        if (!items) {
          items = [];
          for (let i = first; i < end; i++) {
            const line = lines[i];
            if (line?.content && line.dash && line.indent === head.indent) items.push(i);
          }
          itemCache.set(key, items);
        }
        const at = items[part];
        if (at === undefined) break;
        found = at;
        start = at;
        end = items[part + 1] ?? end;
        continue;
      }
      const column = head.keyCol;
      const pattern = new RegExp(`^["']?${escape(part)}["']?\\s*:(.*)$`);
      let match: { index: number; inline: boolean } | undefined;
      for (let i = first; i < end; i++) {
        const line = lines[i];
        if (!line?.content || line.keyCol !== column) continue;
        const m = pattern.exec(line.text.slice(line.keyCol));
        if (m) {
          const after = (m[1] ?? '').trim();
          match = { index: i, inline: after !== '' && !after.startsWith('#') && !after.startsWith('|') && !after.startsWith('>') };
          break;
        }
      }
      if (!match) break;
      found = match.index;
      if (match.inline) break;
      const cacheKey = `${match.index}:${end}`;
      let childEnd = childEndCache.get(cacheKey);
      if (childEnd === undefined) {
        childEnd = end;
        for (let i = match.index + 1; i < end; i++) {
          const line = lines[i];
          if (!line?.content) continue;
          if (line.indent < column || (line.indent === column && !line.dash)) {
            childEnd = i;
            break;
          }
        }
        childEndCache.set(cacheKey, childEnd);
      }
      start = match.index + 1;
      end = childEnd;
    }
    return found === undefined ? undefined : found + dataLine;
  };
}
