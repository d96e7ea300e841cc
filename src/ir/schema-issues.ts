/**
 * zod's findings on a document, as Issues a KFP user can act on: the field path they typed, the proto
 * message it belongs to, and what was expected against what was found.
 */
import { z } from 'zod';
import { formatPath, type Issue, IssueCode } from './issues.ts';
import { isFreeformJson, messageFields, messageName, schemaAt, unwrapSchema } from './schema-shape.ts';
import { didYouMean } from './suggest.ts';

type ZodIssue = z.core.$ZodIssue;

/**
 * Every schema violation in `value`; an empty list when it conforms. `at` is where `value` sits in the
 * document when it is checked on its own, as a kubernetes executor config inside the PlatformSpec is.
 */
export function schemaIssues(
  value: unknown,
  schema: z.ZodType,
  at: ReadonlyArray<string | number> = [],
): Issue[] {
  const pieces: Piece[] = [];
  const shell = carve(value, schema, [], pieces);
  const result = schema.safeParse(shell, { reportInput: true });
  const issues = result.success ? [] : result.error.issues.flatMap((issue) => toIssues(issue, schema, at));
  for (const piece of pieces) issues.push(...schemaIssues(piece.value, piece.schema, [...at, ...piece.path]));
  return issues;
}

/**
 * Maps with more entries than this (a 10,000-task DAG) are checked one entry at a time: zod builds a copy
 * of what it parses, and a copy of one task at a time is garbage at once where a copy of the whole
 * document would double its memory at the engine's busiest moment.
 */
const ENTRIES_CHECKED_TOGETHER = 64;

interface Piece {
  path: Array<string | number>;
  value: unknown;
  schema: z.ZodType;
}

/**
 * `value` with the entries of its large maps moved to `pieces` (the maps left empty); the value itself
 * when it holds no large map, so that nothing is copied for the common small document.
 */
function carve(value: unknown, schema: z.ZodType, path: Array<string | number>, pieces: Piece[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isFreeformJson(schema))
    return value;
  const inner = unwrapSchema(schema);
  const entries = Object.entries(value);
  if (inner instanceof z.ZodRecord && entries.length > ENTRIES_CHECKED_TOGETHER) {
    for (const [key, entry] of entries)
      pieces.push({ path: [...path, key], value: entry, schema: inner.valueType as z.ZodType });
    return {};
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, entry] of entries) {
    const below =
      inner instanceof z.ZodRecord
        ? (inner.valueType as z.ZodType)
        : inner instanceof z.ZodObject && Object.hasOwn(inner.shape, key)
          ? (inner.shape[key] as z.ZodType)
          : undefined;
    if (below === undefined) continue;
    const carved = carve(entry, below, [...path, key], pieces);
    if (carved !== entry) {
      copy ??= { ...value };
      copy[key] = carved;
    }
  }
  return copy ?? value;
}

function toIssues(issue: ZodIssue, root: z.ZodType, at: ReadonlyArray<string | number>): Issue[] {
  // `path` finds the schema below `root`; `where` is what the user reads.
  const path = issue.path as Array<string | number>;
  const where = [...at, ...path];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        code: IssueCode.UNKNOWN_FIELD,
        path: formatPath([...where, key]),
        message: unknownFieldMessage(key, schemaAt(root, path), where),
      }));
    case 'invalid_type':
      if (input === undefined) return [issueAt(IssueCode.MISSING_FIELD, where, 'missing')];
      return [issueAt(IssueCode.INVALID_VALUE, where, invalidTypeMessage(issue.expected, input, root, path))];
    case 'invalid_value': {
      const allowed = issue.values.map(String).filter((v) => !v.endsWith('_UNSPECIFIED'));
      const message =
        typeof input === 'string'
          ? `unknown value ${JSON.stringify(input)}${didYouMean(input, allowed)}; expected one of ${allowed.join(', ')}`
          : `expected one of ${allowed.join(', ')}, got ${describe(input)}`;
      return [issueAt(IssueCode.INVALID_VALUE, where, message)];
    }
    case 'invalid_union':
      // The only unions in the schemas are int64s (proto3 JSON writes one as a number or a string of digits).
      return [issueAt(IssueCode.INVALID_VALUE, where, `expected an integer, got ${describe(input)}`)];
    case 'too_small':
      return [
        issueAt(
          IssueCode.INVALID_VALUE,
          where,
          `must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}, got ${describe(input)}`,
        ),
      ];
    case 'too_big':
      return [
        issueAt(
          IssueCode.INVALID_VALUE,
          where,
          `must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}, got ${describe(input)}`,
        ),
      ];
    case 'invalid_format': {
      // spec.ts attaches a readable message to its formats; zod's own default starts with "Invalid".
      const expected = issue.message.startsWith('Invalid')
        ? 'a different format'
        : issue.message.replace(/^expected /, '');
      return [issueAt(IssueCode.INVALID_VALUE, where, `expected ${expected}, got ${describe(input)}`)];
    }
    default:
      return [issueAt(IssueCode.INVALID_VALUE, where, issue.message)];
  }
}

function unknownFieldMessage(
  key: string,
  schema: z.ZodType | undefined,
  path: ReadonlyArray<string | number>,
): string {
  const fields = schema === undefined ? [] : (messageFields(schema) ?? []);
  const owner = (schema && messageName(schema)) ?? `'${String(path.at(-1) ?? 'document')}'`;
  const head = `unknown field in ${owner}`;
  if (owner === 'PipelineSpec' && key === 'platforms') {
    return `${head}; 'platforms' belongs to the PlatformSpec, a second YAML document after a '---' line`;
  }
  const suggestion = didYouMean(key, fields);
  if (suggestion) return head + suggestion;
  return fields.length > 0 ? `${head}; its fields are ${fields.join(', ')}` : head;
}

function invalidTypeMessage(
  expected: string,
  input: unknown,
  root: z.ZodType,
  path: ReadonlyArray<string | number>,
): string {
  const got = describe(input);
  if (expected === 'object') {
    const schema = schemaAt(root, path);
    const name = schema && messageName(schema);
    const fields = (schema && messageFields(schema)) ?? [];
    if (name) return `expected a ${name} mapping (with ${fields.join(', ')}), got ${got}`;
  }
  const want = EXPECTED[expected] ?? expected;
  if (expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
    return `expected ${want}, got ${got}; quote the value in YAML to keep it text`;
  }
  return `expected ${want}, got ${got}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** A found value as a phrase: `the string "abc"`, `the number 2.1`, `a list`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

function issueAt(code: IssueCode, path: ReadonlyArray<string | number>, message: string): Issue {
  return { code, path: formatPath(path), message };
}
