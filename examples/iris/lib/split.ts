/**
 * A seeded, stratified train/test split. Stratified because Iris is small: a plain shuffle can leave a
 * class thin in the test set and make the accuracy swing with the seed. Seeded with our own generator
 * (not Math.random) so that a run, and its cache key, is reproducible.
 */
import { CLASSES, type Sample } from './iris-data.ts';

export interface Split {
  train: Sample[];
  test: Sample[];
}

/**
 * Each class contributes round(n × testFraction) rows to the test set (at least one, and at least one left
 * for training); both sets are shuffled so that no step can learn from row order.
 */
export function stratifiedSplit(samples: ReadonlyArray<Sample>, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  }
  const random = mulberry32(seed);
  const train: Sample[] = [];
  const test: Sample[] = [];
  for (const species of CLASSES) {
    const members = shuffle(
      samples.filter((sample) => sample.species === species),
      random,
    );
    if (members.length === 0) continue;
    const testCount = Math.min(Math.max(Math.round(members.length * testFraction), 1), members.length - 1);
    test.push(...members.slice(0, testCount));
    train.push(...members.slice(testCount));
  }
  return { train: shuffle(train, random), test: shuffle(test, random) };
}

/** Fisher–Yates on a copy. */
export function shuffle<T>(items: ReadonlyArray<T>, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A small, well-known 32-bit PRNG: the same seed gives the same sequence on every machine. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
