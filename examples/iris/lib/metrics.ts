/**
 * Classification scores. Macro-F1 is reported beside accuracy because it weighs each class equally, so a
 * model that gives up on one species cannot hide behind the other two.
 */

export interface Scores {
  accuracy: number;
  macroF1: number;
  /** rows: true class, columns: predicted class (KFP's confusion-matrix orientation). */
  confusion: number[][];
}

export function score(
  actual: ReadonlyArray<number>,
  predicted: ReadonlyArray<number>,
  classes: number,
): Scores {
  if (actual.length !== predicted.length || actual.length === 0) {
    throw new RangeError(`cannot score ${predicted.length} predictions against ${actual.length} labels`);
  }
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  actual.forEach((truth, index) => {
    confusion[truth]![predicted[index]!]! += 1;
  });
  const correct = confusion.reduce((sum, row, index) => sum + row[index]!, 0);
  const f1s = confusion.map((row, index) => {
    const truePositives = row[index]!;
    const predictedHere = confusion.reduce((sum, other) => sum + other[index]!, 0);
    const actualHere = row.reduce((sum, value) => sum + value, 0);
    const denominator = predictedHere + actualHere;
    return denominator === 0 ? 0 : (2 * truePositives) / denominator;
  });
  return {
    accuracy: correct / actual.length,
    macroF1: f1s.reduce((sum, value) => sum + value, 0) / classes,
    confusion,
  };
}
