import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../src/ir/spec.ts';
import { checkSemantics } from '../../src/ir/validate-semantics.ts';
import { corpusFiles, readCorpusPipeline } from './corpus.ts';

const files = corpusFiles('valid', 'argo_compatibility');

describe('semantic checks on the KFP corpus', () => {
  it('covers the whole corpus', () => {
    expect(files.length).toBe(112);
  });

  it.each(files)('%s has no semantic issues', (file) => {
    expect(checkSemantics(readCorpusPipeline(file))).toEqual([]);
  });

  it('finds a broken producer reference in every corpus pipeline that has one', () => {
    let broken = 0;
    for (const file of files) {
      const { pipelineSpec } = readCorpusPipeline(file);
      const consumer = Object.entries(pipelineSpec.root?.dag?.tasks ?? {}).find(([, t]) =>
        Object.values(t.inputs?.parameters ?? {}).some((p) => p.taskOutputParameter),
      );
      if (!consumer) continue;
      const [name, task] = consumer;
      const input = Object.values(task.inputs!.parameters!).find((p) => p.taskOutputParameter)!;
      input.taskOutputParameter!.producerTask = 'no-such-task';
      const paths = checkSemantics({ pipelineSpec }).map((issue) => issue.path);
      expect(paths, file).toContainEqual(
        expect.stringMatching(new RegExp(`^root\\.dag\\.tasks\\.${name}\\.`)),
      );
      broken++;
    }
    expect(broken).toBeGreaterThan(20);
  });

  it('never throws on damaged corpus documents, whether or not they still fit the schema', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const odd = [
      null,
      'x',
      7,
      1.5,
      true,
      [],
      {},
      ['constructor'],
      "{{$.inputs.parameters['",
      '{"Concat": 3}',
    ];
    let withIssues = 0;
    for (const file of files) {
      const original = readCorpusPipeline(file).pipelineSpec;
      const nodes = containers(original);
      // Names and other strings of the same document: swapping them keeps the schema happy and breaks meaning.
      const strings = nodes
        .map(([path, key]) => at(original, [...path, key]))
        .filter((v) => typeof v === 'string');
      for (let round = 0; round < 8; round++) {
        const spec = structuredClone(original);
        for (let edit = 0; edit < 3; edit++) {
          const [path, key] = nodes[Math.floor(random() * nodes.length)]!;
          const parent = at(spec, path);
          if (typeof parent !== 'object' || parent === null) continue;
          const target = parent as Record<string, unknown>;
          const roll = random();
          if (roll < 0.3) delete target[key];
          else if (roll < 0.7 && typeof target[key] === 'string') {
            target[key] = strings[Math.floor(random() * strings.length)];
          } else target[key] = structuredClone(odd[Math.floor(random() * odd.length)]);
        }
        let issues: unknown[] = [];
        expect(() => {
          issues = checkSemantics({ pipelineSpec: spec as PipelineSpec });
        }, file).not.toThrow();
        if (issues.length > 0) withIssues++;
      }
    }
    expect(withIssues).toBeGreaterThan(50);
  });
});

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

/** Every (parent path, key) in a JSON value. */
function containers(value: unknown, path: string[] = [], out: Array<[string[], string]> = []) {
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      out.push([path, key]);
      containers(child, [...path, key], out);
    }
  }
  return out;
}
