/** The seeded, stratified train/test split (see lib/split.ts for why stratified). */
import { readFileSync, writeFileSync } from 'node:fs';
import { component, Dataset, Param } from 'sluice';
import { formatCsv, parseCsv } from '../lib/iris-data.ts';
import { stratifiedSplit } from '../lib/split.ts';

export const split = component({
  name: 'split',
  description: 'Splits the validated data into stratified train and test sets, reproducibly for a seed.',
  inputs: { data: Dataset, testFraction: Param.float(), seed: Param.int() },
  outputs: { train: Dataset, test: Dataset },
  run: ({ data, testFraction, seed }, outputs) => {
    const parts = stratifiedSplit(parseCsv(readFileSync(data.path, 'utf8')), testFraction, seed);
    for (const name of ['train', 'test'] as const) {
      writeFileSync(outputs[name].path, formatCsv(parts[name]));
      Object.assign(outputs[name].metadata, { rows: parts[name].length, seed, testFraction });
    }
    console.log(`train ${parts.train.length} rows, test ${parts.test.length} rows (seed ${seed})`);
  },
});
