// A fingerprint of a directory tree as the filesystem holds it: every entry's path, type, mode, size,
// mtime and ctime, file contents and symlink targets. Equal digests: nothing was written, appended,
// replaced, re-linked or chmod-ed there (ctime changes on any of those, hard-linking included).
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export function treeDigest(root: string): { digest: string; entries: number } {
  const hash = createHash('sha256');
  let entries = 0;
  const visit = (path: string, rel: string) => {
    const info = lstatSync(path, { bigint: true });
    entries++;
    hash.update(`${rel}\0${info.mode}\0${info.size}\0${info.mtimeNs}\0${info.ctimeNs}\0`);
    if (info.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (info.isFile()) hash.update(readFileSync(path));
    else if (info.isDirectory()) for (const name of readdirSync(path).sort()) visit(join(path, name), `${rel}/${name}`);
  };
  visit(root, '.');
  return { digest: hash.digest('hex'), entries };
}
