// shellWriteTargets: what the scope hook and the ledger see of a Bash command.
import { describe, expect, it } from 'vitest';
import { shellWriteTargets } from '../../../src/guard/index.js';
import { context, REPO } from './helpers.js';

describe('shellWriteTargets', () => {
  it.each([
    ['echo x > a.txt', [`${REPO}/a.txt`], true],
    ['rm src/old.ts && touch src/new.ts', [`${REPO}/src/old.ts`, `${REPO}/src/new.ts`], true],
    ['cd src && sed -i s/a/b/ x.ts', [`${REPO}/src/x.ts`], true],
    ['mv a.ts b.ts', [`${REPO}/b.ts`, `${REPO}/a.ts`], true],
    ['npm test > /dev/null 2>&1', [], true],
    ['cat a | tee /tmp/log', ['/tmp/log'], true],
    ['rm -rf build/*', [`${REPO}/build`], false],
    ['echo x > "$OUT"', [], false],
    ['git status', [], true],
  ] as const)('%s → %j (certain: %s)', (command, paths, certain) => {
    const result = shellWriteTargets(command, context());
    expect([...result.paths].sort()).toEqual([...paths].sort());
    expect(result.certain).toBe(certain);
  });

  it('a program whose effects are hidden makes the answer uncertain', () => {
    expect(shellWriteTargets('python3 gen.py', context()).certain).toBe(false);
    expect(shellWriteTargets('bash scripts/x.sh', context()).certain).toBe(false);
  });
});
