/**
 * Checks a raw Iris CSV before anything trains on it. Data from outside is where pipelines break most, and
 * a model trained on a silently shifted column is worse than no model, so any mismatch stops the run with
 * one line saying which file, which line and what is wrong.
 */
import { SluiceError } from 'sluice';
import { CLASSES, COLUMNS, FEATURES, type Sample, type Species } from './iris-data.ts';

/** Fewer rows than this cannot give every class a training and a test share worth measuring. */
export const MIN_ROWS = 30;

/**
 * A SluiceError, so that `sluice execute-function` prints just the message (not a stack trace) and the
 * message is what the task's error shows.
 */
export class IrisDataError extends SluiceError {
  constructor(message: string) {
    super('IRIS_DATA_INVALID', message);
  }
}

export interface ValidatedIris {
  /** Rows in COLUMNS order, whatever the source's column order was. */
  samples: Sample[];
  classCounts: Record<Species, number>;
}

/**
 * @param fileName how messages name the file (its base name: the full path is in the task's inputs)
 * @throws IrisDataError naming the first problem found
 */
export function validateIrisCsv(text: string, fileName: string): ValidatedIris {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problem = (line: number | undefined, what: string) =>
    new IrisDataError(`${fileName}${line === undefined ? '' : ` line ${line}`}: ${what}`);

  const header = splitFields(lines[0] ?? '');
  if (header.length === 1 && header[0] === '') throw problem(1, 'no header line (the file is empty)');
  const positions = columnPositions(header, (what) => problem(1, what));

  const samples: Sample[] = [];
  const classCounts = Object.fromEntries(CLASSES.map((name) => [name, 0])) as Record<Species, number>;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue; // a trailing newline or a blank separator line carries no row
    const fields = splitFields(line);
    const number = index + 1;
    if (fields.length !== header.length) {
      throw problem(number, `${fields.length} fields, expected ${header.length} (as in the header)`);
    }
    const features = FEATURES.map((column) => {
      const raw = fields[positions[column]]!;
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value)) throw problem(number, `${column} is '${raw}', not a number`);
      return value;
    });
    const species = fields[positions.species]!;
    if (!(CLASSES as readonly string[]).includes(species)) {
      throw problem(number, `species '${species}' is not one of ${CLASSES.join(', ')}`);
    }
    samples.push({ features, species: species as Species });
    classCounts[species as Species] += 1;
  }

  if (samples.length < MIN_ROWS) {
    throw problem(undefined, `${samples.length} data rows; at least ${MIN_ROWS} are needed`);
  }
  const absent = CLASSES.filter((name) => classCounts[name] === 0);
  if (absent.length > 0) {
    throw problem(undefined, `no rows of species ${absent.map((name) => `'${name}'`).join(', ')}`);
  }
  return { samples, classCounts };
}

/** Where each expected column is; any missing, unexpected or repeated column is an error. */
function columnPositions(
  header: string[],
  problem: (what: string) => IrisDataError,
): Record<(typeof COLUMNS)[number], number> {
  const found = `(found: ${header.join(', ')}); expected ${COLUMNS.join(', ')}`;
  const missing = COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    const names = missing.map((column) => `'${column}'`).join(', ');
    throw problem(`missing column${missing.length > 1 ? 's' : ''} ${names} ${found}`);
  }
  const unexpected = header.filter((column) => !(COLUMNS as readonly string[]).includes(column));
  if (unexpected.length > 0) throw problem(`unexpected column '${unexpected[0]}' ${found}`);
  const repeated = header.find((column, index) => header.indexOf(column) !== index);
  if (repeated !== undefined) throw problem(`column '${repeated}' appears twice ${found}`);
  return Object.fromEntries(COLUMNS.map((column) => [column, header.indexOf(column)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
}

/** Comma-separated fields, trimmed, with surrounding double quotes removed (Iris needs no escaping). */
function splitFields(line: string): string[] {
  return line.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
}
