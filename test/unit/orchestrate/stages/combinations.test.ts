// The combinations the search for a culprit tries when every batch is green alone: smallest first, bounded.
import { describe, expect, it } from 'vitest';
import { combinations, subsetsBetween } from '../../../../src/orchestrate/stages/find-culprit.js';

describe('combinations', () => {
  it('lists every subset of 2 to n-1 batches, pairs first, in plan order', () => {
    expect(combinations(['a', 'b', 'c', 'd'], 100)).toEqual([
      ['a', 'b'], ['a', 'c'], ['a', 'd'], ['b', 'c'], ['b', 'd'], ['c', 'd'],
      ['a', 'b', 'c'], ['a', 'b', 'd'], ['a', 'c', 'd'], ['b', 'c', 'd'],
    ]);
    expect(subsetsBetween(4)).toBe(10);
    expect(combinations(['a', 'b'], 100)).toEqual([]);
    expect(subsetsBetween(2)).toBe(0);
  });

  it('stops at the bound without listing the rest (40 batches have 2^40 subsets)', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `b${i}`);
    const first = combinations(ids, 10);
    expect(first).toHaveLength(10);
    expect(first[0]).toEqual(['b0', 'b1']);
    expect(first[9]).toEqual(['b0', 'b10']);
    expect(subsetsBetween(40)).toBe(2 ** 40 - 42);
  });
});
