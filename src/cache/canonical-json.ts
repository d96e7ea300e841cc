/**
 * Canonical JSON: the one text a JSON value hashes as. Object keys are sorted by UTF-16 code units (as RFC
 * 8785 does), there is no whitespace, numbers are written as JavaScript writes them (so `1` and `1.0` are
 * one number, and `-0` is `0`), and strings use JSON.stringify's escapes. Written here rather than taken from
 * a package because it is twenty lines and the cache key must never change under a dependency upgrade.
 */
import { SluiceError } from '../errors.ts';
import type { JsonValue } from '../ir/index.ts';

/** A value that has no JSON form reached the fingerprint: a bug in the caller, not in the pipeline. */
export class FingerprintInputError extends SluiceError {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(
      'FINGERPRINT_INPUT_INVALID',
      `cannot fingerprint ${path}: ${what} has no JSON form; pass finite numbers, strings, booleans, null, lists and objects`,
    );
  }
}

/**
 * The canonical JSON text of `value`. Object properties whose value is `undefined` are left out, as
 * JSON.stringify does, so an optional field that is absent and one that is `undefined` hash alike.
 * @throws FingerprintInputError on NaN, ±Infinity, bigint, functions, symbols and `undefined` in arrays.
 */
export function canonicalJson(value: JsonValue, path = '$'): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new FingerprintInputError(path, String(value));
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value))
        return `[${value.map((item, index) => canonicalJson(item, `${path}[${index}]`)).join(',')}]`;
      const members: string[] = [];
      for (const key of Object.keys(value).sort()) {
        const member = value[key];
        if (member === undefined) continue;
        members.push(`${JSON.stringify(key)}:${canonicalJson(member, `${path}.${key}`)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new FingerprintInputError(path, typeof value);
  }
}
