/**
 * The scalar rules of PyYAML's SafeLoader (YAML 1.1), as `yaml` package tags.
 *
 * KFP's SDK writes IR with PyYAML and reads it back with `yaml.safe_load`, so a plain scalar means what
 * PyYAML's resolver says it means. The `yaml` package's own 1.1 schema differs in ways that change data:
 * it reads `y`/`n` as booleans, `1e3` and `12e03` as numbers and `00:30` as 30, where PyYAML reads all
 * of them as strings; and its 1.2 schema reads `yes`/`on` as strings and `0o17` as a number. The regular
 * expressions below are PyYAML's (resolver.py), so both directions agree with KFP:
 * - reading: a plain scalar resolves to the type PyYAML gives it;
 * - writing: a string PyYAML would resolve to another type is quoted (the `yaml` package quotes any
 *   string that a default tag's `test` matches), and numbers are written in a form PyYAML reads back as
 *   numbers (`1e-7` is a string to PyYAML; `1.0e-7` is a float). Strings that only YAML 1.2 reads as
 *   numbers are quoted too, for KFP's Go backend (see yaml12Number).
 *
 * Timestamps are the one deliberate difference: PyYAML builds a date, which protobuf's JSON parser then
 * rejects; here a date-like plain scalar stays a string (and a date-like string is still quoted on write).
 */
import type { CollectionTag, ScalarTag, Tags } from 'yaml';

const BOOL = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/**
 * Characters a PyYAML reader rejects or reads as a line break (`\x85`, `\u2028`, `\u2029`), plus tab and
 * BOM: PyYAML ends a plain scalar at a tab. A string holding any of them is written double-quoted with
 * the character escaped, the one form in which every one of them survives.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters PyYAML cannot read raw
const NEEDS_ESCAPE = /[\x00-\x09\x0B-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]|\p{Cs}/u;
const RAW_IN_JSON = /[\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g;

const bool: ScalarTag = {
  identify: (value) => typeof value === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: BOOL,
  resolve: (text) => TRUE.test(text),
  stringify: (item) => (item.value ? 'true' : 'false'),
};

const int: ScalarTag = {
  identify: (value) => typeof value === 'number' && Number.isInteger(value),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: INT,
  resolve: resolveInt,
  stringify: (item) => formatNumber(Number(item.value)),
};

const float: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: FLOAT,
  resolve: resolveFloat,
  stringify: (item) => formatNumber(Number(item.value)),
};

/** Only makes date-like strings quoted on write; reads them as the string they are. */
const timestamp: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:timestamp',
  test: TIMESTAMP,
  resolve: (text) => text,
};

/** PyYAML's `=` (the 1.1 "value" type) makes safe_load fail, so a lone `=` must be quoted on write. */
const valueKey: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:value',
  test: /^=$/,
  resolve: (text) => text,
};

const MERGE = 'tag:yaml.org,2002:merge';
/**
 * KFP's backend reads IR with Go's yaml.v3, which follows YAML 1.2: there `1e3`, `08` and `0o17` are
 * numbers although PyYAML reads them as strings. Such strings are quoted on write so both loaders agree;
 * on read this tag sits after PyYAML's and only sees what PyYAML keeps as a string.
 */
const yaml12Number: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:sluice,2026:yaml12-number',
  test: /^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve: (text) => text,
};

const REPLACED = new Set([bool.tag, int.tag, float.tag, timestamp.tag, 'tag:yaml.org,2002:str', MERGE]);

/** `customTags` for the `yaml` package's 1.1 schema: PyYAML's scalar resolution (see module doc). */
export function pyyamlTags(defaults: Tags): Tags {
  // The schema hands over tag objects; the type also allows names of built-in tags, which it never passes.
  const tags = defaults.filter((tag): tag is ScalarTag | CollectionTag => typeof tag !== 'string');
  const str = tags.find((tag) => tag.tag === 'tag:yaml.org,2002:str') as ScalarTag;
  const pyyamlStr: ScalarTag = {
    ...str,
    stringify: (item, ctx, onComment, onChompKeep) =>
      typeof item.value === 'string' && NEEDS_ESCAPE.test(item.value)
        ? escapedDoubleQuoted(item.value)
        : str.stringify!(item, ctx, onComment, onChompKeep),
  };
  // The stock merge tag also claims the *string* `<<`, which then gets written as a bare merge key; a
  // string must stay a (quoted) string, so the tag keeps only the symbol its own `resolve` produces.
  const merge = tags.find((tag) => tag.tag === MERGE) as ScalarTag | undefined;
  const mergeKey = merge && {
    ...merge,
    identify: (value: unknown) => typeof value === 'symbol' && value.description === '<<',
  };
  const kept = tags.filter((tag) => !REPLACED.has(tag.tag));
  return [
    pyyamlStr,
    bool,
    int,
    float,
    timestamp,
    valueKey,
    yaml12Number,
    ...kept,
    ...(mergeKey ? [mergeKey] : []),
  ];
}

/** A number as PyYAML reads it back: exponent forms need a `.` (`1.0e-7`), infinities are `.inf`. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  const text = String(value);
  const e = text.indexOf('e');
  return e >= 0 && !text.slice(0, e).includes('.') ? `${text.slice(0, e)}.0${text.slice(e)}` : text;
}

function escapedDoubleQuoted(value: string): string {
  // JSON escapes are YAML double-quoted escapes; JSON leaves these characters raw, PyYAML cannot.
  return JSON.stringify(value).replace(
    RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function resolveInt(text: string): number {
  let digits = text.replace(/_/g, '');
  const sign = digits.startsWith('-') ? -1 : 1;
  if (digits[0] === '-' || digits[0] === '+') digits = digits.slice(1);
  if (digits.startsWith('0b')) return sign * Number.parseInt(digits.slice(2), 2);
  if (digits.startsWith('0x')) return sign * Number.parseInt(digits.slice(2), 16);
  if (digits.length > 1 && digits[0] === '0') return sign * Number.parseInt(digits, 8);
  if (digits.includes(':')) return sign * sexagesimal(digits);
  return sign * Number(digits);
}

function resolveFloat(text: string): number {
  let digits = text.replace(/_/g, '').toLowerCase();
  const sign = digits.startsWith('-') ? -1 : 1;
  if (digits[0] === '-' || digits[0] === '+') digits = digits.slice(1);
  if (digits === '.inf') return sign * Number.POSITIVE_INFINITY;
  if (digits === '.nan') return Number.NaN;
  if (digits.includes(':')) return sign * sexagesimal(digits);
  return sign * Number(digits);
}

/** `1:20:30` (base 60), which YAML 1.1 reads as a number. */
function sexagesimal(digits: string): number {
  return digits.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}
