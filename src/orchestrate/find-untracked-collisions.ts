// Which paths a run would write over in the main checkout where it holds files git does not track (pure):
// a fast-forward refuses to overwrite an untracked file but silently overwrites an ignored one, so either
// would be lost or block the landing. Entries are git's listings, a directory once as dir/.

export function findUntrackedCollisions(paths: readonly string[], untracked: readonly string[]): string[] {
  const files = new Set(untracked.filter((entry) => !entry.endsWith('/')));
  const dirs = untracked.filter((entry) => entry.endsWith('/'));
  return paths.filter((path) => files.has(path) || dirs.some((dir) => path.startsWith(dir)));
}
