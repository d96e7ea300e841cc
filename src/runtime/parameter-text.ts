/**
 * Parameter values as text, both ways: how a value is written into an argument or an output file
 * (`formatParameterValue`), and how an output file's text is read back by its declared type
 * (`parseParameterText`). The rules are KFP's launcher's: strings raw; numbers in shortest form, so an
 * integer has no `.0`; booleans `true`/`false`; lists and structs compact JSON.
 */
import type { JsonValue } from '../ir/index.ts';

/** The text of a parameter value in an argument or an output parameter file. */
export function formatParameterValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Go's strconv.ParseBool set, which KFP's launcher uses: Python's `True`/`False` land here too. */
const BOOLEAN_TEXT: Record<string, boolean> = {
  true: true,
  True: true,
  TRUE: true,
  t: true,
  T: true,
  '1': true,
  false: false,
  False: false,
  FALSE: false,
  f: false,
  F: false,
  '0': false,
};

/**
 * Reads an output parameter's text by its declared type. Returns the value, or a string saying why the
 * text does not fit. STRING is kept byte for byte (KFP does not trim it); other types ignore surrounding
 * whitespace, so `echo 5 > file` works.
 */
export function parseParameterText(type: string, text: string): { value: JsonValue } | { error: string } {
  if (type === 'STRING' || type === '' || type === 'PARAMETER_TYPE_ENUM_UNSPECIFIED') return { value: text };
  const trimmed = text.trim();
  switch (type) {
    case 'NUMBER_INTEGER': {
      if (!/^[-+]?\d+$/.test(trimmed)) {
        return { error: `expected an integer (NUMBER_INTEGER), got ${show(trimmed)}` };
      }
      const value = Number(trimmed);
      if (!Number.isSafeInteger(value)) {
        return { error: `integer ${trimmed} is outside ±2^53, which KFP's JSON values cannot hold exactly` };
      }
      return { value };
    }
    case 'NUMBER_DOUBLE': {
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value)) {
        return { error: `expected a finite number (NUMBER_DOUBLE), got ${show(trimmed)}` };
      }
      return { value };
    }
    case 'BOOLEAN': {
      const value = BOOLEAN_TEXT[trimmed];
      if (value === undefined) return { error: `expected true or false (BOOLEAN), got ${show(trimmed)}` };
      return { value };
    }
    case 'LIST':
    case 'STRUCT':
    case 'TASK_FINAL_STATUS':
    case 'TASK_CONFIG':
      return parseJsonText(type, trimmed);
    default:
      return { error: `unknown parameter type '${type}'` };
  }
}

/** Checks a typed value (from an ExecutorOutput's parameterValues) against its declared type. */
export function checkParameterValue(
  type: string,
  value: JsonValue,
): { value: JsonValue } | { error: string } {
  if (typeof value === 'string' && type !== 'STRING') return parseParameterText(type, value);
  const fits: Record<string, boolean> = {
    STRING: typeof value === 'string',
    NUMBER_INTEGER: typeof value === 'number' && Number.isSafeInteger(value),
    NUMBER_DOUBLE: typeof value === 'number',
    BOOLEAN: typeof value === 'boolean',
    LIST: Array.isArray(value),
    STRUCT: isStruct(value),
  };
  if (fits[type] === false) {
    return { error: `expected ${type}, got ${show(JSON.stringify(value))}` };
  }
  return { value };
}

function parseJsonText(type: string, text: string): { value: JsonValue } | { error: string } {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    return { error: `expected JSON (${type}), got ${show(text)}: ${(error as Error).message}` };
  }
  if (type === 'LIST' && !Array.isArray(value)) {
    return { error: `expected a JSON array (LIST), got ${show(text)}` };
  }
  if (type !== 'LIST' && !isStruct(value)) {
    return { error: `expected a JSON object (${type}), got ${show(text)}` };
  }
  return { value };
}

function isStruct(value: JsonValue): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
