import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  explainCacheMiss,
  type FingerprintInput,
  FingerprintInputError,
  fingerprintTask,
} from '../../src/cache/index.ts';
import type { JsonValue } from '../../src/ir/index.ts';
import { type ContainerInput, rewrittenInput } from './fingerprint-arbitraries.ts';
import { mutatedInput } from './fingerprint-mutations.ts';

const RUNS = { numRuns: 500 };

const train: FingerprintInput = {
  componentName: 'comp-train',
  executor: {
    container: {
      image: 'python:3.11',
      command: ['sh', '-c', 'python train.py "$0" "$1"'],
      args: ["{{$.inputs.artifacts['data'].path}}", "{{$.outputs.artifacts['model'].path}}"],
      env: [{ name: 'SEED', value: '7' }],
    },
  },
  parameters: { epochs: 3, optimizer: { name: 'adam', lr: 0.001 } },
  artifacts: { data: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
  outputs: {
    artifacts: { model: { artifactType: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } } },
  },
};

function keyOf(input: FingerprintInput): string {
  return fingerprintTask(input).key;
}

function withParameters(parameters: Record<string, JsonValue>): FingerprintInput {
  return { ...train, parameters };
}

function withContainer(change: Partial<ContainerInput['executor']['container']>): FingerprintInput {
  return {
    ...train,
    executor: { container: { ...(train.executor as ContainerInput['executor']).container, ...change } },
  };
}

describe('fingerprintTask properties', () => {
  it('changes the key, and exactly the part named, when any one input changes', () => {
    fc.assert(
      fc.property(mutatedInput, ({ base, mutation }) => {
        const before = fingerprintTask(base);
        const after = fingerprintTask(mutation.input);
        expect(after.key, mutation.what).not.toBe(before.key);
        expect(explainCacheMiss(before.parts, after.parts), mutation.what).toEqual({
          changed: mutation.change === 'changed' ? [mutation.part] : [],
          added: mutation.change === 'added' ? [mutation.part] : [],
          removed: mutation.change === 'removed' ? [mutation.part] : [],
        });
      }),
      RUNS,
    );
  });

  it('keeps the key and every part when the same task is written differently', () => {
    fc.assert(
      fc.property(rewrittenInput, ({ base, rewritten, what }) => {
        expect(fingerprintTask(rewritten), what).toEqual(fingerprintTask(base));
      }),
      RUNS,
    );
  });

  it('with a custom cache key, ignores every automatic input', () => {
    fc.assert(
      fc.property(mutatedInput, fc.string({ minLength: 1 }), ({ base, mutation }, cacheKey) => {
        const before = fingerprintTask({ ...base, cacheKey });
        expect(fingerprintTask({ ...mutation.input, cacheKey })).toEqual(before);
        expect(Object.keys(before.parts)).toEqual(['cacheKey']);
      }),
      RUNS,
    );
  });
});

describe('fingerprintTask decisions', () => {
  it('treats int 1 and double 1.0 as one number, and the string "1" as another value', () => {
    const integer = keyOf(withParameters({ epochs: 1 }));
    expect(keyOf(withParameters({ epochs: JSON.parse('1.0') }))).toBe(integer);
    expect(keyOf(withParameters({ epochs: JSON.parse('1e0') }))).toBe(integer);
    expect(keyOf(withParameters({ epochs: '1' }))).not.toBe(integer);
    expect(keyOf(withParameters({ epochs: 1.5 }))).not.toBe(integer);
  });

  it('ignores key order in parameter maps and struct values, and keeps order in lists', () => {
    const base = keyOf(withParameters({ a: { x: 1, y: [1, 2] }, b: true }));
    expect(keyOf(withParameters({ b: true, a: { y: [1, 2], x: 1 } }))).toBe(base);
    expect(keyOf(withParameters({ a: { x: 1, y: [2, 1] }, b: true }))).not.toBe(base);
  });

  it('reads env as the process sees it: entry order does not count, the later of two same names wins', () => {
    const env = [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ];
    const base = keyOf(withContainer({ env }));
    expect(keyOf(withContainer({ env: [...env].reverse() }))).toBe(base);
    expect(keyOf(withContainer({ env: [{ name: 'A', value: 'shadowed' }, ...env] }))).toBe(base);
    expect(keyOf(withContainer({ env: [...env, { name: 'A', value: 'wins' }] }))).not.toBe(base);
  });

  it('keeps order in command, args and artifact lists', () => {
    const base = keyOf(withContainer({ command: ['a', 'b'] }));
    expect(keyOf(withContainer({ command: ['b', 'a'] }))).not.toBe(base);
    const [first, second] = ['sha256:aa', 'sha256:bb'];
    expect(keyOf({ ...train, artifacts: { data: [first, second] } })).not.toBe(
      keyOf({ ...train, artifacts: { data: [second, first] } }),
    );
  });

  it('tells one artifact from a list of one', () => {
    expect(keyOf({ ...train, artifacts: { data: 'sha256:aa' } })).not.toBe(
      keyOf({ ...train, artifacts: { data: ['sha256:aa'] } }),
    );
  });

  it('treats absent as empty, as proto3 does', () => {
    const bare: FingerprintInput = {
      componentName: 'comp-x',
      executor: { container: {} },
      parameters: {},
      artifacts: {},
      outputs: undefined,
    };
    expect(
      keyOf({
        ...bare,
        executor: { container: { image: '', command: [], args: [], env: [] } },
        outputs: { artifacts: {}, parameters: {} },
        salt: '',
      }),
    ).toBe(keyOf(bare));
  });

  it('ignores what does not change the result: descriptions, resources, lifecycle, component name', () => {
    const base = keyOf(train);
    expect(
      keyOf(withContainer({ resources: { cpuLimit: 4 }, lifecycle: { preCacheCheck: { command: ['x'] } } })),
    ).toBe(base);
    expect(
      keyOf({
        ...train,
        outputs: { artifacts: { model: { ...train.outputs!.artifacts!.model, description: 'the model' } } },
      }),
    ).toBe(base);
    expect(keyOf({ ...train, componentName: 'comp-train-2' })).toBe(base);
  });

  it('covers an importer spec as written', () => {
    const importer: FingerprintInput = {
      componentName: 'comp-importer',
      executor: {
        importer: { artifactUri: { runtimeParameter: 'uri' }, typeSchema: { schemaTitle: 'system.Dataset' } },
      },
      parameters: { uri: 'file:///data/train.csv' },
      artifacts: {},
      outputs: { artifacts: { artifact: { artifactType: { schemaTitle: 'system.Dataset' } } } },
    };
    const { parts } = fingerprintTask(importer);
    expect(Object.keys(parts)).toEqual(['executor.importer', 'outputs', 'parameter:uri', 'salt']);
    expect(
      keyOf({
        ...importer,
        executor: { importer: { ...(importer.executor as { importer: object }).importer, reimport: true } },
      }),
    ).not.toBe(keyOf(importer));
  });

  it('computes a custom-key fingerprint with the bytes KFP uses: sha256(component name, NUL, key)', () => {
    const expected = createHash('sha256').update('comp-train\u0000v2').digest('hex');
    expect(fingerprintTask({ ...train, cacheKey: 'v2' })).toEqual({
      key: expected,
      parts: { cacheKey: expected },
    });
    expect(keyOf({ ...train, cacheKey: 'v2', componentName: 'comp-eval' })).not.toBe(expected);
    expect(keyOf({ ...train, cacheKey: '' })).toBe(keyOf(train));
  });

  it('keeps the same key across releases (a change here invalidates every cache: bump it on purpose only)', () => {
    expect(fingerprintTask(train)).toMatchInlineSnapshot(`
      {
        "key": "26148f4d5521e2f75cdac2646bce46d204f54d975353258d8716df9fb902ab04",
        "parts": {
          "artifact:data": "2a939a91aa159612c83af260ed2ce8fa8b6d1e76322b020789376a000b12b7d4",
          "executor.args": "927d7909d3cd08ce381c551705f0ecd2a56568ab1064b801ef0d0da6d14f59ac",
          "executor.command": "21ba68b8d43f01e9f12fe4079ee693e907080de9b19d83bc644b20b70e551f60",
          "executor.env": "a94f2e2f92d37bccd6b91a36c693533b5ec55d0d7158d474974c3694f2372f5c",
          "executor.image": "6349af4475c2db4b95f4461f2545485ea286ae1d4d0ea5d003e094ae7bd2e7e0",
          "outputs": "07ddd209a6076edaa89d88304014c52a6248e5b39bcafe996962f4a7750aebd5",
          "parameter:epochs": "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce",
          "parameter:optimizer": "16477b5616ba82dba6a1ae2baaeec83e8dab2883c11f37884b99ddc98b8c3d07",
          "salt": "12ae32cb1ec02d01eda3581b127c1fee3b0dc53572ed6baf239721a03d82e126",
        },
      }
    `);
  });

  it('refuses a value without a JSON form, naming where it is', () => {
    const error = (() => {
      try {
        fingerprintTask(withParameters({ lr: Number.NaN }));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(FingerprintInputError);
    expect(error).toMatchObject({ code: 'FINGERPRINT_INPUT_INVALID', path: 'parameter:lr' });
    expect((error as Error).message).toMatchInlineSnapshot(
      `"cannot fingerprint parameter:lr: NaN has no JSON form; pass finite numbers, strings, booleans, null, lists and objects"`,
    );
  });
});
