/** Reads the imported CSV, refuses it unless it is Iris as the later steps expect, and normalises it. */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { component, Dataset } from 'sluice';
import { digestOf } from '../lib/files.ts';
import { CLASSES, formatCsv } from '../lib/iris-data.ts';
import { IrisDataError, validateIrisCsv } from '../lib/validate.ts';

export const validateSchema = component({
  name: 'validate-schema',
  description: 'Checks columns, types, species and size of the raw CSV; writes it in canonical column order.',
  inputs: { raw: Dataset },
  outputs: { validated: Dataset },
  run: ({ raw }, { validated }) => {
    const path = localPath(raw);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new IrisDataError(`cannot read ${raw.uri}: ${(error as Error).message}`);
    }
    const { samples, classCounts } = validateIrisCsv(text, basename(path));
    writeFileSync(validated.path, formatCsv(samples));
    Object.assign(validated.metadata, {
      rows: samples.length,
      classes: [...CLASSES],
      classCounts,
      // The engine records the import's digest too, but only this one is of the bytes actually checked.
      source: raw.uri,
      sourceDigest: digestOf(path),
    });
    console.log(`${basename(path)}: ${samples.length} rows, ${JSON.stringify(classCounts)}`);
  },
});

/** The importer takes any URI; only local files can be read here, and the message says so. */
function localPath(raw: { uri: string; path: string }): string {
  try {
    return raw.path;
  } catch {
    throw new IrisDataError(
      `source '${raw.uri}' is not a local file: give a file:// URL or an absolute path (-p source=/path/to/iris.csv)`,
    );
  }
}
