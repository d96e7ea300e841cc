/**
 * Parameter values across the engine: KFP passes them as JSON values and converts them to a consumer's
 * declared type where that is lossless (a loop item "3" into an int input, a JSON string into a LIST).
 * A conversion that would lose or invent information is an error naming the input.
 */
import type { JsonValue } from '../ir/index.ts';

export class ParameterTypeError extends Error {}

/** The value as the declared type expects it, or a ParameterTypeError saying why it cannot be. */
export function coerceParameter(value: JsonValue, type: string | undefined, what: string): JsonValue {
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'NUMBER_INTEGER': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number === 'number' && Number.isSafeInteger(number)) return number;
      throw new ParameterTypeError(`${what} expects an integer, got ${JSON.stringify(value)}`);
    }
    case 'NUMBER_DOUBLE': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
      throw new ParameterTypeError(`${what} expects a number, got ${JSON.stringify(value)}`);
    }
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'True') return true;
      if (value === 'false' || value === 'False') return false;
      throw new ParameterTypeError(`${what} expects true or false, got ${JSON.stringify(value)}`);
    case 'LIST': {
      const parsed = typeof value === 'string' ? parseJsonOrUndefined(value) : value;
      if (Array.isArray(parsed)) return parsed;
      throw new ParameterTypeError(`${what} expects a list, got ${JSON.stringify(value)}`);
    }
    case 'STRUCT': {
      const parsed = typeof value === 'string' ? parseJsonOrUndefined(value) : value;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
      throw new ParameterTypeError(`${what} expects an object, got ${JSON.stringify(value)}`);
    }
    default:
      return value;
  }
}

/** A `--param name=value` text as the pipeline input's declared type. */
export function parseParameterText(text: string, type: string | undefined, what: string): JsonValue {
  if (type === 'STRING' || type === undefined) return text;
  if (type === 'LIST' || type === 'STRUCT') {
    const parsed = parseJsonOrUndefined(text);
    if (parsed === undefined)
      throw new ParameterTypeError(`${what} expects JSON (${type === 'LIST' ? '[…]' : '{…}'}), got ${text}`);
    return coerceParameter(parsed, type, what);
  }
  return coerceParameter(text, type, what);
}

function parseJsonOrUndefined(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
