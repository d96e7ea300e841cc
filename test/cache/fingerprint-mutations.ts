/**
 * Mutations of a fingerprint input: each changes exactly one part of the key and says which, so the
 * property can check both that the key changed and that explainCacheMiss names that part alone.
 */
import fc from 'fast-check';
import type { ComponentOutputsSpec } from '../../src/ir/index.ts';
import {
  artifactType,
  type ContainerInput,
  containerInput,
  digest,
  json,
  name,
  parameterType,
  sameJson,
  withContainer,
  word,
} from './fingerprint-arbitraries.ts';

export interface Mutation {
  what: string;
  input: ContainerInput;
  part: string;
  change: 'changed' | 'added' | 'removed';
}

/** Edits of an ordered list of words that change it: replace, insert, remove, swap two different words. */
function listEdits(list: string[]): fc.Arbitrary<{ what: string; list: string[] }>[] {
  const edits: fc.Arbitrary<{ what: string; list: string[] }>[] = [
    fc.tuple(fc.nat(list.length), word).map(([at, text]) => ({
      what: 'insert',
      list: [...list.slice(0, at), text, ...list.slice(at)],
    })),
  ];
  if (list.length > 0) {
    const index = fc.nat(list.length - 1);
    edits.push(
      fc
        .tuple(index, word)
        .filter(([at, text]) => list[at] !== text)
        .map(([at, text]) => ({ what: 'replace', list: list.with(at, text) })),
      index.map((at) => ({ what: 'remove', list: list.toSpliced(at, 1) })),
    );
  }
  const distinctPairs = list.flatMap((a, i) =>
    list.flatMap((b, j) => (i < j && a !== b ? [[i, j] as const] : [])),
  );
  if (distinctPairs.length > 0) {
    edits.push(
      fc.constantFrom(...distinctPairs).map(([i, j]) => ({
        what: 'swap',
        list: list.with(i, list[j]!).with(j, list[i]!),
      })),
    );
  }
  return edits;
}

function envMutations(base: ContainerInput): fc.Arbitrary<Mutation>[] {
  const env = base.executor.container.env ?? [];
  const names = new Set(env.map((entry) => entry.name));
  const mutation = (what: string, next: typeof env): Mutation => ({
    what: `env ${what}`,
    input: withContainer(base, { env: next }),
    part: 'executor.env',
    change: 'changed',
  });
  const edits = [
    fc
      .tuple(
        name.filter((text) => !names.has(text)),
        word,
      )
      .map(([text, value]) => mutation('entry added', [...env, { name: text, value }])),
  ];
  if (env.length > 0) {
    const index = fc.nat(env.length - 1);
    edits.push(
      fc
        .tuple(index, word)
        .filter(([at, value]) => env[at]!.value !== value)
        .map(([at, value]) => mutation('value changed', env.with(at, { ...env[at]!, value }))),
      fc
        .tuple(
          index,
          name.filter((text) => !names.has(text)),
        )
        .map(([at, text]) => mutation('entry renamed', env.with(at, { ...env[at]!, name: text }))),
      index.map((at) => mutation('entry removed', env.toSpliced(at, 1))),
    );
  }
  return edits;
}

function parameterMutations(base: ContainerInput): fc.Arbitrary<Mutation>[] {
  const names = Object.keys(base.parameters);
  const edits = [
    fc
      .tuple(
        name.filter((text) => !Object.hasOwn(base.parameters, text)),
        json,
      )
      .map(
        ([text, value]): Mutation => ({
          what: 'parameter added',
          input: { ...base, parameters: { ...base.parameters, [text]: value } },
          part: `parameter:${text}`,
          change: 'added',
        }),
      ),
  ];
  if (names.length > 0) {
    const which = fc.constantFrom(...names);
    edits.push(
      fc
        .tuple(which, json)
        .filter(([text, value]) => !sameJson(base.parameters[text], value))
        .map(([text, value]) => ({
          what: 'parameter value changed',
          input: { ...base, parameters: { ...base.parameters, [text]: value } },
          part: `parameter:${text}`,
          change: 'changed',
        })),
      which.map((text) => {
        const { [text]: _removed, ...parameters } = base.parameters;
        return {
          what: 'parameter removed',
          input: { ...base, parameters },
          part: `parameter:${text}`,
          change: 'removed',
        };
      }),
    );
  }
  return edits;
}

function artifactMutations(base: ContainerInput): fc.Arbitrary<Mutation>[] {
  const edit = (
    what: string,
    text: string,
    value: string | string[] | undefined,
    change: Mutation['change'],
  ) => {
    const { [text]: _previous, ...artifacts } = base.artifacts;
    return {
      what: `artifact ${what}`,
      input: { ...base, artifacts: value === undefined ? artifacts : { ...artifacts, [text]: value } },
      part: `artifact:${text}`,
      change,
    };
  };
  const edits = [
    fc
      .tuple(
        name.filter((text) => !Object.hasOwn(base.artifacts, text)),
        digest,
      )
      .map(([text, value]) => edit('input added', text, value, 'added')),
  ];
  for (const [text, value] of Object.entries(base.artifacts)) {
    edits.push(fc.constant(edit('input removed', text, undefined, 'removed')));
    if (typeof value === 'string') {
      edits.push(
        digest
          .filter((other) => other !== value)
          .map((other) => edit('content changed', text, other, 'changed')),
        fc.constant(edit('single became a list of one', text, [value], 'changed')),
      );
    } else {
      edits.push(
        ...listEdits([...value]).map((list) =>
          list.map((next) => edit(`list ${next.what}`, text, next.list, 'changed')),
        ),
      );
    }
  }
  return edits;
}

function outputMutations(base: ContainerInput): fc.Arbitrary<Mutation>[] {
  const mutation = (what: string, outputs: ComponentOutputsSpec): Mutation => ({
    what: `outputs: ${what}`,
    input: { ...base, outputs },
    part: 'outputs',
    change: 'changed',
  });
  const parameters = base.outputs.parameters ?? {};
  const artifacts = base.outputs.artifacts ?? {};
  const edits = [
    fc
      .tuple(
        name.filter((text) => !Object.hasOwn(parameters, text)),
        parameterType,
      )
      .map(([text, type]) =>
        mutation('parameter added', {
          ...base.outputs,
          parameters: { ...parameters, [text]: { parameterType: type } },
        }),
      ),
  ];
  for (const [text, definition] of Object.entries(artifacts)) {
    edits.push(
      artifactType
        .filter((title) => title !== definition.artifactType?.schemaTitle)
        .map((title) =>
          mutation('artifact type changed', {
            ...base.outputs,
            artifacts: {
              ...artifacts,
              [text]: { artifactType: { ...definition.artifactType, schemaTitle: title } },
            },
          }),
        ),
    );
  }
  for (const text of Object.keys(parameters)) {
    const { [text]: _removed, ...rest } = parameters;
    edits.push(fc.constant(mutation('parameter removed', { ...base.outputs, parameters: rest })));
  }
  return edits;
}

/** A base input and a copy with exactly one part of its key changed. */
export const mutatedInput: fc.Arbitrary<{ base: ContainerInput; mutation: Mutation }> = containerInput.chain(
  (base) => {
    const container = base.executor.container;
    const listPart = (part: 'command' | 'args') =>
      listEdits(container[part] ?? []).map((edit) =>
        edit.map(
          (next): Mutation => ({
            what: `${part} ${next.what}`,
            input: withContainer(base, { [part]: next.list }),
            part: `executor.${part}`,
            change: 'changed',
          }),
        ),
      );
    const mutations: fc.Arbitrary<Mutation>[] = [
      word
        .filter((image) => image !== container.image)
        .map((image) => ({
          what: 'image changed',
          input: withContainer(base, { image }),
          part: 'executor.image',
          change: 'changed',
        })),
      word
        .filter((salt) => salt !== base.salt)
        .map((salt) => ({ what: 'salt changed', input: { ...base, salt }, part: 'salt', change: 'changed' })),
      ...listPart('command'),
      ...listPart('args'),
      ...envMutations(base),
      ...parameterMutations(base),
      ...artifactMutations(base),
      ...outputMutations(base),
    ];
    return fc.oneof(...mutations).map((mutation) => ({ base, mutation }));
  },
);
