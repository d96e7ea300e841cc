/**
 * "did you mean …" for names: the closest candidate within a small edit distance, if any.
 *
 * A DAG with 10,000 tasks has 10,000 candidates for each misspelt task name, and a broken document can
 * misspell all of them, so the search skips what cannot win: a candidate whose length alone puts it
 * beyond the best distance so far, and an edit distance whose rows already exceed it. The answer is the
 * one a full comparison with every candidate gives: the first candidate at the smallest distance.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  // A third of the name's length keeps suggestions for real typos and drops unrelated names.
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bound = limit;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    if (Math.abs(other.length - wanted.length) > bound) continue;
    const distance = editDistanceWithin(wanted, other, bound);
    if (distance > bound) continue;
    best = candidate;
    // Only a strictly closer candidate replaces this one, as in a scan that keeps the first minimum.
    if (distance === 0) break;
    bound = distance - 1;
  }
  return best;
}

/** ` (did you mean 'x'?)`, or an empty string when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closestName(name, candidates);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}

// Two rows of the distance table, reused: suggestions run once per broken name, thousands in a broken wide DAG.
let rowA = new Uint32Array(64);
let rowB = new Uint32Array(64);

/**
 * Levenshtein distance when it is at most `bound`, otherwise some number above `bound`: a row's minimum
 * never decreases further down, so once it passes `bound` the rest cannot come back under it. A common
 * prefix and suffix never change the distance (`task-12` and `task-21` differ as `12` and `21` do), so
 * only the middle is compared.
 */
function editDistanceWithin(a: string, b: string, bound: number): number {
  let from = 0;
  let endA = a.length;
  let endB = b.length;
  while (from < endA && from < endB && a.charCodeAt(from) === b.charCodeAt(from)) from++;
  while (endA > from && endB > from && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const width = endB - from;
  if (rowA.length <= width) {
    rowA = new Uint32Array(width + 1);
    rowB = new Uint32Array(width + 1);
  }
  let previous = rowA;
  let current = rowB;
  for (let j = 0; j <= width; j++) previous[j] = j;
  for (let i = 1; i <= endA - from; i++) {
    const code = a.charCodeAt(from + i - 1);
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= width; j++) {
      const substitution = previous[j - 1]! + (code === b.charCodeAt(from + j - 1) ? 0 : 1);
      const distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      current[j] = distance;
      if (distance < rowMinimum) rowMinimum = distance;
    }
    if (rowMinimum > bound) return bound + 1;
    [previous, current] = [current, previous];
  }
  return previous[width]!;
}
