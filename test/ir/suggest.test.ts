import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../src/ir/index.ts';

/** The plain definition closestName must agree with: full Levenshtein against every candidate, first minimum. */
function closestByFullScan(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = levenshtein(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

// Few letters and shared prefixes, so candidates are often near one another (and case folding matters).
const name = fc
  .tuple(
    fc.constantFrom('', 'task-', 'pipelinechannel--'),
    fc.string({ unit: fc.constantFrom('a', 'b', 'A', '-', '0', '1', 'İ', 'ß'), maxLength: 12 }),
  )
  .map(([prefix, rest]) => prefix + rest);

describe('closestName', () => {
  it('suggests the first candidate at the smallest distance, within a third of the name', () => {
    expect(didYouMean('fan-7x', ['source', 'fan-7', 'fan-71', 'gather'])).toBe(" (did you mean 'fan-7'?)");
    expect(closestName('Trainn', ['test', 'train', 'Train'])).toBe('train');
    expect(closestName('epochs', ['batch_size', 'learning_rate'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });

  it('agrees with a full comparison against every candidate', () => {
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 30 }), (wanted, candidates) => {
        expect(closestName(wanted, candidates)).toBe(closestByFullScan(wanted, candidates));
        expect(closestName(wanted, new Set(candidates))).toBe(
          closestByFullScan(wanted, [...new Set(candidates)]),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
