/**
 * Python's `str()` of a JSON value as KFP holds it after `json_format.MessageToDict`: every number is a
 * float, so `5` prints `5.0` and `1e-05` stays `1e-05`. Used for the header comment's defaults, so a
 * Sluice-written file reads like a KFP-written one.
 */
import type { JsonValue } from './spec.ts';

export function pythonRepr(value: JsonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonFloat(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const items = Object.entries(value).map(
    ([key, item]) => `${pythonString(key)}: ${pythonRepr(item as JsonValue)}`,
  );
  return `{${items.join(', ')}}`;
}

/** `repr(float(x))`: shortest round-trip digits; exponent form below 1e-4 and from 1e16 on. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  // Position of the decimal point relative to the first digit, as CPython's float_repr computes it.
  const point = Number(exponent) + 1;
  if (digits === '0') return `${sign}0.0`;
  if (point <= -4 || point > 16) {
    const exp = Number(exponent);
    const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${shown}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `repr(s)`: single quotes unless the text has one and no double quote; non-printables escaped. */
export function pythonString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const c of text) {
    if (c === quote || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters Python's repr escapes
    else if (/[\x00-\x1F\x7F-\xA0\xAD\u2028\u2029\uFEFF]|\p{Cs}/u.test(c)) {
      const code = c.charCodeAt(0);
      out +=
        code <= 0xff
          ? `\\x${code.toString(16).padStart(2, '0')}`
          : `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += c;
  }
  return `${quote}${out}${quote}`;
}
