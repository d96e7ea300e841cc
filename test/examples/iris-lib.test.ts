/**
 * The pure parts of examples/iris, checked without the engine: the messages a broken CSV gets, the split's
 * determinism and stratification, registry version numbering and where the registry is, and the report.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLUMNS, irisCsvFromPackage, parseCsv } from '../../examples/iris/lib/iris-data.ts';
import { registerVersion, registryDirectory } from '../../examples/iris/lib/registry.ts';
import { stratifiedSplit } from '../../examples/iris/lib/split.ts';
import { validateIrisCsv } from '../../examples/iris/lib/validate.ts';
import { outcome } from '../../examples/iris/steps/report.ts';

const csv = irisCsvFromPackage();
const header = COLUMNS.join(',');

function problem(text: string): string {
  try {
    validateIrisCsv(text, 'iris.csv');
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('validateIrisCsv', () => {
  it('accepts the Iris data, also with the columns in another order', () => {
    expect(validateIrisCsv(csv, 'iris.csv').classCounts).toEqual({
      setosa: 50,
      versicolor: 50,
      virginica: 50,
    });
    const reordered = csv
      .trimEnd()
      .split('\n')
      .map((line) => {
        const fields = line.split(',');
        return [fields[4], ...fields.slice(0, 4)].join(',');
      })
      .join('\r\n');
    expect(validateIrisCsv(reordered, 'iris.csv').samples).toEqual(parseCsv(csv));
  });

  it('names the file, the line and what is wrong', () => {
    expect(problem(csv.replace('petal_width', 'petal_w'))).toBe(
      "iris.csv line 1: missing column 'petal_width' (found: sepal_length, sepal_width, petal_length, petal_w, species); expected sepal_length, sepal_width, petal_length, petal_width, species",
    );
    expect(problem(csv.replace(header, `${header},notes`))).toMatch(
      /^iris\.csv line 1: unexpected column 'notes'/,
    );
    expect(problem(csv.replace('4.9,3,1.4,0.2,setosa', '4.9,abc,1.4,0.2,setosa'))).toBe(
      "iris.csv line 3: sepal_width is 'abc', not a number",
    );
    expect(problem(csv.replace('4.9,3,1.4,0.2,setosa', '4.9,3,1.4,setosa'))).toBe(
      'iris.csv line 3: 4 fields, expected 5 (as in the header)',
    );
    expect(problem(csv.replace('4.9,3,1.4,0.2,setosa', '4.9,3,1.4,0.2,Iris-setosa'))).toBe(
      "iris.csv line 3: species 'Iris-setosa' is not one of setosa, versicolor, virginica",
    );
    expect(problem(csv.split('\n').slice(0, 20).join('\n'))).toBe(
      'iris.csv: 19 data rows; at least 30 are needed',
    );
    expect(problem('')).toBe('iris.csv line 1: no header line (the file is empty)');
  });
});

describe('stratifiedSplit', () => {
  const samples = parseCsv(csv);

  it('holds out the same share of every class, the same way for the same seed', () => {
    const { train, test } = stratifiedSplit(samples, 0.3, 42);
    expect([train.length, test.length]).toEqual([105, 45]);
    for (const species of ['setosa', 'versicolor', 'virginica']) {
      expect(test.filter((sample) => sample.species === species)).toHaveLength(15);
    }
    expect(stratifiedSplit(samples, 0.3, 42)).toEqual({ train, test });
    expect(stratifiedSplit(samples, 0.3, 7).test).not.toEqual(test);
  });
});

describe('registry', () => {
  it('numbers versions from 1, never reusing one', () => {
    const root = mkdtempSync(join(tmpdir(), 'iris-registry-'));
    expect(registerVersion(root, 'm', { 'model.json': '{}' }).version).toBe(1);
    const second = registerVersion(root, 'm', { 'model.json': '{"v":2}' });
    expect(second).toEqual({ version: 2, directory: join(root, 'm', 'v2') });
    expect(readFileSync(join(second.directory, 'model.json'), 'utf8')).toBe('{"v":2}');
  });

  it("is the parameter when given, else SLUICE_HOME's, read from the step's working directory", () => {
    expect(registryDirectory('/srv/models', {})).toBe('/srv/models');
    expect(registryDirectory('', { SLUICE_HOME: '/h' })).toBe('/h/registry');
    expect(registryDirectory('', { SLUICE_RUN_ID: 'r1' }, '/x/home/runs/r1/attempts/a1')).toBe(
      '/x/home/registry',
    );
  });
});

describe('report', () => {
  const status = { pipelineJobResourceName: 'abcdef123456', pipelineTaskName: 'exit-handler-1' };

  it('names the failed task and its error, or where to find it', () => {
    expect(
      outcome({ ...status, state: 'FAILED', error: { message: 'task validate-schema failed: bad\ncolumn' } }),
    ).toMatch(/^iris-classifier run abcdef123456 FAILED in task validate-schema: bad column\. /);
    expect(
      outcome({ ...status, state: 'FAILED', error: { message: 'task validate-schema failed' } }),
    ).toMatch(/FAILED in task validate-schema: its error is in `sluice logs abcdef12 validate-schema`\./);
    expect(outcome({ ...status, state: 'COMPLETE', error: {} })).toMatch(/SUCCEEDED/);
    expect(outcome({ ...status, state: 'COMPLETE', error: {} }, '0123456789ab')).toMatch(
      /^iris-classifier run 0123456789ab SUCCEEDED: .*`sluice show 01234567`/,
    );
  });
});
