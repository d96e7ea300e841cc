import { describe, expect, it } from 'vitest';
import {
  type CacheMissReason,
  explainCacheMiss,
  type FingerprintInput,
  fingerprintTask,
  formatCacheMiss,
} from '../../src/cache/index.ts';

const train: FingerprintInput = {
  componentName: 'comp-train',
  executor: { container: { image: 'python:3.11', command: ['python', 'train.py'], args: ['--epochs', '3'] } },
  parameters: { epochs: 3, lr: 0.1 },
  artifacts: { data: 'sha256:aa', extra: ['sha256:bb'] },
  outputs: { parameters: { accuracy: { parameterType: 'NUMBER_DOUBLE' } } },
};

function explain(previous: FingerprintInput | undefined, current: FingerprintInput): CacheMissReason {
  return explainCacheMiss(previous && fingerprintTask(previous).parts, fingerprintTask(current).parts);
}

function why(previous: FingerprintInput | undefined, current: FingerprintInput): string {
  return formatCacheMiss(explain(previous, current));
}

describe('explainCacheMiss', () => {
  it('says a task with no previous fingerprint runs for the first time', () => {
    expect(explain(undefined, train)).toEqual({ firstRun: true });
    expect(why(undefined, train)).toMatchInlineSnapshot(
      `"first run of this task: no previous result to reuse"`,
    );
  });

  it('names changed parameters and artifact contents, in key order', () => {
    const current = {
      ...train,
      parameters: { ...train.parameters, epochs: 5 },
      artifacts: { ...train.artifacts, data: 'sha256:cc' },
    };
    expect(explain(train, current)).toEqual({
      changed: ['parameter:epochs', 'artifact:data'],
      added: [],
      removed: [],
    });
    expect(why(train, current)).toMatchInlineSnapshot(
      `"parameter 'epochs' changed; input artifact 'data' content changed"`,
    );
  });

  it('names parts that appeared and disappeared', () => {
    const { lr: _lr, ...parameters } = train.parameters;
    const current = { ...train, parameters: { ...parameters, batch: 32 }, artifacts: { data: 'sha256:aa' } };
    expect(explain(train, current)).toEqual({
      changed: [],
      added: ['parameter:batch'],
      removed: ['parameter:lr', 'artifact:extra'],
    });
    expect(why(train, current)).toMatchInlineSnapshot(
      `"parameter 'batch' added; parameter 'lr' removed; input artifact 'extra' removed"`,
    );
  });

  it('describes each part of the executor, the outputs and the salt', () => {
    const current: FingerprintInput = {
      ...train,
      executor: {
        container: {
          image: 'python:3.12',
          command: ['python3', 'train.py'],
          args: [],
          env: [{ name: 'A', value: '1' }],
        },
      },
      outputs: {},
      salt: 'v2',
    };
    expect(why(train, current)).toMatchInlineSnapshot(
      `"container image changed; command changed; arguments changed; environment changed; output definitions changed; cache version salt changed"`,
    );
  });

  it('counts what it does not list when many parts changed', () => {
    const many = (value: number) => ({
      ...train,
      parameters: Object.fromEntries('abcdefgh'.split('').map((name) => [name, value])),
    });
    expect(why(many(1), many(2))).toMatchInlineSnapshot(
      `"parameter 'a' changed; parameter 'b' changed; parameter 'c' changed; parameter 'd' changed; parameter 'e' changed; and 3 more"`,
    );
  });

  it('says when the key is unchanged and the previous result is simply not reusable', () => {
    expect(explain(train, train)).toEqual({ changed: [], added: [], removed: [] });
    expect(why(train, train)).toMatchInlineSnapshot(
      `"key unchanged: the previous run with this key left no reusable result"`,
    );
  });

  it('says the key switched to or from a custom cache key rather than listing every part', () => {
    const custom = { ...train, cacheKey: 'v1' };
    expect(why(train, custom)).toMatchInlineSnapshot(`"the task now uses a custom cache key"`);
    expect(why(custom, train)).toMatchInlineSnapshot(`"the task no longer uses a custom cache key"`);
    expect(why(custom, { ...custom, cacheKey: 'v2' })).toMatchInlineSnapshot(`"custom cache key changed"`);
  });

  it('orders parts stored by a database that reorders JSON keys', () => {
    const previous = {
      salt: 'x',
      'artifact:a': 'x',
      'parameter:b': 'x',
      'executor.image': 'x',
      outputs: 'x',
    };
    const current = { outputs: 'y', 'parameter:b': 'y', salt: 'y', 'executor.image': 'y', 'artifact:a': 'y' };
    expect(explainCacheMiss(previous, current)).toEqual({
      changed: ['executor.image', 'parameter:b', 'artifact:a', 'outputs', 'salt'],
      added: [],
      removed: [],
    });
  });

  it('renders a part it does not know by its name', () => {
    expect(formatCacheMiss({ changed: ['gpu'], added: [], removed: [] })).toMatchInlineSnapshot(
      `"'gpu' changed"`,
    );
  });
});
