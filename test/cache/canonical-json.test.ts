import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, FingerprintInputError } from '../../src/cache/index.ts';
import type { JsonValue } from '../../src/ir/index.ts';
import { reorderKeys, sameJson } from './fingerprint-arbitraries.ts';

const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;

describe('canonicalJson', () => {
  it('writes sorted keys without whitespace, numbers as JSON numbers', () => {
    const value = { b: [1, 1.5, -0, 'x y'], a: { d: null, c: true }, e: undefined } as unknown as JsonValue;
    expect(canonicalJson(value)).toBe('{"a":{"c":true,"d":null},"b":[1,1.5,0,"x y"]}');
  });

  it('reads back as the same value', () => {
    fc.assert(fc.property(json, (value) => sameJson(JSON.parse(canonicalJson(value)), value)));
  });

  it('gives one text for every key order', () => {
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        expect(canonicalJson(reorderKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('gives different texts to different values', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        fc.pre(!sameJson(a, b));
        expect(canonicalJson(a)).not.toBe(canonicalJson(b));
      }),
    );
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, [undefined]])(
    'refuses %s, which has no JSON form',
    (value) => {
      expect(() => canonicalJson({ x: value } as unknown as JsonValue)).toThrow(FingerprintInputError);
    },
  );
});
