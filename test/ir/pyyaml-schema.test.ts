import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatNumber, pyyamlTags } from '../../src/ir/pyyaml-schema.ts';

const options = { version: '1.1', customTags: pyyamlTags } as const;
const read = (scalar: string): unknown => parse(`v: ${scalar}`, options).v;

describe('reading plain scalars as PyYAML safe_load does', () => {
  // Each expectation was checked against PyYAML 6.0.3 (`yaml.safe_load`).
  it.each([
    ['yes', true],
    ['No', false],
    ['on', true],
    ['OFF', false],
    ['TRUE', true],
    ['y', 'y'], // a bool for the `yaml` package's 1.1 schema, a string for PyYAML
    ['n', 'n'],
    ['1e3', '1e3'], // PyYAML's floats need a dot; 1.2 parsers read 1000
    ['12e03', '12e03'],
    ['1.0e5', '1.0e5'], // ... and a signed exponent
    ['1.0e+5', 100000],
    ['1.5e-7', 1.5e-7],
    ['.5', 0.5],
    ['-.5', '-.5'],
    ['5.', 5],
    ['1_000', 1000],
    ['0b101', 5],
    ['017', 15], // octal in YAML 1.1
    ['08', '08'],
    ['0o17', '0o17'], // octal only in YAML 1.2
    ['0x1F', 31],
    ['1:20', 80], // base 60
    ['00:30', '00:30'],
    ['1:20.5', 80.5],
    ['.inf', Number.POSITIVE_INFINITY],
    ['-.Inf', Number.NEGATIVE_INFINITY],
    ['~', null],
    ['Null', null],
    ['2001-12-14', '2001-12-14'], // PyYAML builds a date, which KFP's JSON parser then rejects
  ])('%s', (scalar, expected) => {
    expect(read(scalar)).toEqual(expected);
  });

  it('reads .nan as NaN', () => {
    expect(read('.nan')).toBeNaN();
  });

  it('still resolves merge keys', () => {
    expect(parse('base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n', options).use).toEqual({ x: 1, y: 2 });
  });
});

describe('writing', () => {
  it("quotes every string PyYAML, or YAML 1.2 (KFP's Go backend), would read as another type", () => {
    const strings = [
      'yes',
      'on',
      'y',
      '1e3',
      '017',
      '1:20',
      '00:30',
      '2001-12-14',
      '=',
      '<<',
      '~',
      '',
      '.nan',
      'plain',
    ];
    expect(stringify(strings, { ...options, singleQuote: true })).toMatchInlineSnapshot(`
      "- 'yes'
      - 'on'
      - y
      - '1e3'
      - '017'
      - '1:20'
      - 00:30
      - '2001-12-14'
      - '='
      - '<<'
      - '~'
      - ''
      - '.nan'
      - plain
      "
    `);
  });

  it('escapes characters PyYAML rejects or reads as line breaks, and tabs', () => {
    const strings = ['a\tb', 'nel\u0085', 'ls\u2028', 'c1\u0090', 'bom\ufeff'];
    const text = stringify(strings, options);
    expect(text).toMatchInlineSnapshot(`
      "- "a\\tb"
      - "nel\\u0085"
      - "ls\\u2028"
      - "c1\\u0090"
      - "bom\\ufeff"
      "
    `);
    expect(parse(text, options)).toEqual(strings);
  });

  it('writes numbers in a form PyYAML reads back as numbers', () => {
    expect(
      [0, -1, 2.5, 1e-7, 1.5e-7, 1e21, 0.1, Number.NaN, Number.NEGATIVE_INFINITY].map(formatNumber),
    ).toEqual(['0', '-1', '2.5', '1.0e-7', '1.5e-7', '1.0e+21', '0.1', '.nan', '-.inf']);
  });
});
