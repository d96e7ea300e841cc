/**
 * The two kinds of proto constraint zod cannot express, as reporting functions over raw JSON: a `oneof`
 * (at most one member set; for most, exactly one) and a required text field. Also the rules for the two
 * messages that both components and executors embed (ValueOrRuntimeParameter, ArtifactTypeSchema).
 */
import { IssueCode } from './issues.ts';
import { isPlainObject } from './proto-json.ts';

export type Path = ReadonlyArray<string | number>;
export type Report = (code: IssueCode, path: Path, message: string) => void;
export type Message = Record<string, unknown>;

export function checkValueOrRuntimeParameter(value: Message, path: Path, report: Report): void {
  oneof(
    value,
    ['constant', 'runtimeParameter', 'constantValue'],
    path,
    report,
    'a value is a constant or a runtime parameter',
  );
  if (isPlainObject(value.constantValue)) {
    oneof(
      value.constantValue,
      ['intValue', 'doubleValue', 'stringValue'],
      [...path, 'constantValue'],
      report,
      'a legacy Value holds one kind',
    );
  }
}

export function checkArtifactType(owner: Message, field: string, path: Path, report: Report): void {
  const type = owner[field];
  if (type === undefined) {
    report(
      IssueCode.MISSING_FIELD,
      [...path, field],
      'missing; an artifact needs a type, e.g. {schemaTitle: system.Dataset, schemaVersion: 0.0.1}',
    );
  } else if (isPlainObject(type)) {
    oneof(
      type,
      ['schemaTitle', 'instanceSchema', 'schemaUri'],
      [...path, field],
      report,
      'an artifact type is named one way',
    );
  }
}

/** Reports two or more members of a oneof set; with `required`, also none set. */
export function oneof(
  message: Message,
  members: ReadonlyArray<string>,
  path: Path,
  report: Report,
  why: string,
  required = true,
): void {
  const set = members.filter((member) => message[member] !== undefined);
  if (set.length > 1) {
    const which = set.length === 2 ? `both ${quoteList(set, 'and')}` : quoteList(set, 'and');
    const allowed = required ? `exactly one of ${quoteList(members, 'or')}` : 'at most one of them';
    report(IssueCode.ONEOF_CONFLICT, path, `sets ${which}; set ${allowed} (${why})`);
  } else if (set.length === 0 && required) {
    report(IssueCode.ONEOF_CONFLICT, path, `needs one of ${quoteList(members, 'or')} (${why})`);
  }
}

/** A required string field: absent or empty is reported; a wrong type is the schema check's to report. */
export function requireText(message: Message, field: string, path: Path, report: Report, what: string): void {
  const value = message[field];
  if (value === undefined) report(IssueCode.MISSING_FIELD, [...path, field], `missing; ${what}`);
  else if (value === '') report(IssueCode.MISSING_FIELD, [...path, field], `is empty; ${what}`);
}

export function entries(map: unknown): Array<[string, unknown]> {
  return isPlainObject(map) ? Object.entries(map) : [];
}

function quoteList(names: ReadonlyArray<string>, conjunction: 'and' | 'or'): string {
  const quoted = names.map((name) => `'${name}'`);
  return quoted.length <= 1
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}
