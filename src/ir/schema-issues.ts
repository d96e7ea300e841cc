/**
 * zod's findings on a document, as Issues a KFP user can act on: the field path they typed, the proto
 * message it belongs to, and what was expected against what was found.
 */
import type { z } from 'zod';
import { formatPath, type Issue, IssueCode } from './issues.ts';
import { messageFields, messageName, schemaAt } from './schema-shape.ts';
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
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => toIssues(issue, schema, at));
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
