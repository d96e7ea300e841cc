/**
 * fast-check generators for fingerprint inputs, and rewrites that change only how the same task is written
 * down (fingerprint-mutations.ts has the edits that change it). Sameness of JSON values is judged by an
 * oracle independent of canonicalJson.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { FingerprintInput } from '../../src/cache/index.ts';
import type { ComponentOutputsSpec, ContainerSpec, JsonValue } from '../../src/ir/index.ts';

export interface ContainerInput extends FingerprintInput {
  executor: { container: ContainerSpec };
  outputs: ComponentOutputsSpec;
}

/** Same JSON value: equal after a JSON round trip (so -0 is 0), whatever the key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a) ?? 'null'), JSON.parse(JSON.stringify(b) ?? 'null'));
}

export const name = fc.string({ minLength: 1, maxLength: 6 });
export const word = fc.string({ maxLength: 6 });
export const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>;
export const digest = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => `sha256:${Buffer.from(bytes).toString('hex')}`);
export const artifactType = fc.constantFrom(
  'system.Artifact',
  'system.Dataset',
  'system.Model',
  'system.Metrics',
);
export const parameterType = fc.constantFrom(
  'STRING',
  'NUMBER_INTEGER',
  'NUMBER_DOUBLE',
  'BOOLEAN',
  'LIST',
  'STRUCT',
);

export const containerInput: fc.Arbitrary<ContainerInput> = fc.record({
  componentName: name.map((text) => `comp-${text}`),
  executor: fc.record({
    container: fc.record({
      image: word,
      command: fc.array(word, { maxLength: 4 }),
      args: fc.array(word, { maxLength: 4 }),
      env: fc.uniqueArray(fc.record({ name, value: word }), {
        maxLength: 4,
        selector: (entry) => entry.name,
      }),
    }),
  }),
  parameters: fc.dictionary(name, json, { maxKeys: 4 }),
  artifacts: fc.dictionary(name, fc.oneof(digest, fc.array(digest, { maxLength: 3 })), { maxKeys: 3 }),
  outputs: fc.record({
    artifacts: fc.dictionary(
      name,
      fc.record({
        artifactType: fc.record({ schemaTitle: artifactType, schemaVersion: fc.constant('0.0.1') }),
      }),
      { maxKeys: 2 },
    ),
    parameters: fc.dictionary(name, fc.record({ parameterType }), { maxKeys: 2 }),
  }),
  salt: word,
});

export function withContainer(base: ContainerInput, change: Partial<ContainerSpec>): ContainerInput {
  return { ...base, executor: { container: { ...base.executor.container, ...change } } };
}

// ---- rewrites: the same task written differently -----------------------------------------------------------

/** Rebuilds every object with its keys in an order picked by `seed` (lists keep their order). */
export function reorderKeys<T>(value: T, seed: number): T {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, seed)) as T;
  if (value === null || typeof value !== 'object') return value;
  const rank = (key: string) =>
    [...key].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619), seed);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(
    keys.map((key) => [key, reorderKeys((value as Record<string, unknown>)[key], seed)]),
  ) as T;
}

/** Rewrites that must keep the key: key order, env order, shadowed env entries, descriptions, resources. */
export const rewrittenInput: fc.Arbitrary<{ base: ContainerInput; rewritten: ContainerInput; what: string }> =
  containerInput.chain((base) => {
    const env = base.executor.container.env ?? [];
    const rewrites: fc.Arbitrary<{ what: string; rewritten: ContainerInput }>[] = [
      fc.integer().map((seed) => ({ what: 'object keys reordered', rewritten: reorderKeys(base, seed) })),
      fc.shuffledSubarray(env, { minLength: env.length, maxLength: env.length }).map((shuffled) => ({
        what: 'env entries reordered',
        rewritten: withContainer(base, { env: shuffled }),
      })),
      fc.string().map((text) => ({
        what: 'descriptions added to outputs',
        rewritten: {
          ...base,
          outputs: {
            artifacts: Object.fromEntries(
              Object.entries(base.outputs.artifacts ?? {}).map(([key, definition]) => [
                key,
                { ...definition, description: text },
              ]),
            ),
            parameters: Object.fromEntries(
              Object.entries(base.outputs.parameters ?? {}).map(([key, definition]) => [
                key,
                { ...definition, description: text },
              ]),
            ),
          },
        },
      })),
      fc.record({ cpuLimit: fc.nat(), resourceMemoryLimit: word }).map((resources) => ({
        what: 'resources set',
        rewritten: withContainer(base, { resources }),
      })),
      name
        .filter((text) => !Object.hasOwn(base.parameters, text))
        .map((text) => ({
          what: 'undefined parameter added',
          rewritten: { ...base, parameters: { ...base.parameters, [text]: undefined } },
        })),
    ];
    if (env.length > 0) {
      rewrites.push(
        fc.tuple(fc.nat(env.length - 1), word).map(([at, value]) => ({
          what: 'shadowed env entry added before its winner',
          rewritten: withContainer(base, { env: env.toSpliced(at, 0, { name: env[at]!.name, value }) }),
        })),
      );
    }
    return fc.oneof(...rewrites).map((rewrite) => ({ base, ...rewrite }));
  });
