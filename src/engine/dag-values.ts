/**
 * What a DAG and a loop produce once their tasks are final: a DAG's outputs are the subtask outputs its
 * `dag.outputs` select (the first branch that produced one, for OneOf); a loop's outputs gather every
 * iteration's, in iteration order (KFP's Collected: parameters become a list, artifacts one long list).
 */
import type { ComponentSpec, JsonValue } from '../ir/index.ts';
import { type ArtifactRef, emptyValues, type TaskNode, type TaskValues } from './run-tree.ts';

export function dagOutputs(component: ComponentSpec, children: ReadonlyMap<string, TaskNode>): TaskValues {
  const values = emptyValues();
  const outputs = component.dag?.outputs;
  for (const [name, output] of Object.entries(outputs?.parameters ?? {})) {
    const selectors = output.valueFromParameter
      ? [output.valueFromParameter]
      : (output.valueFromOneof?.parameterSelectors ?? []);
    for (const selector of selectors) {
      const value = children.get(selector.producerSubtask ?? '')?.outputs?.parameters[
        selector.outputParameterKey ?? ''
      ];
      if (value !== undefined) {
        values.parameters[name] = value;
        break;
      }
    }
  }
  for (const [name, output] of Object.entries(outputs?.artifacts ?? {})) {
    for (const selector of output.artifactSelectors ?? []) {
      const artifacts = children.get(selector.producerSubtask ?? '')?.outputs?.artifacts[
        selector.outputArtifactKey ?? ''
      ];
      if (artifacts) {
        values.artifacts[name] = artifacts;
        break;
      }
    }
  }
  return values;
}

export function loopOutputs(component: ComponentSpec, iterations: ReadonlyArray<TaskNode>): TaskValues {
  const values = emptyValues();
  for (const name of Object.keys(component.outputDefinitions?.parameters ?? {})) {
    const collected: JsonValue[] = [];
    for (const iteration of iterations) {
      const value = iteration.outputs?.parameters[name];
      if (value !== undefined) collected.push(value);
    }
    values.parameters[name] = collected;
  }
  for (const name of Object.keys(component.outputDefinitions?.artifacts ?? {})) {
    const collected: ArtifactRef[] = [];
    for (const iteration of iterations) collected.push(...(iteration.outputs?.artifacts[name] ?? []));
    values.artifacts[name] = collected;
  }
  return values;
}

/** The items a loop task iterates over, from its resolved inputs. */
export function loopItems(
  node: TaskNode,
): { kind: 'parameter'; items: JsonValue[] } | { kind: 'artifact'; items: ArtifactRef[] } {
  const spec = node.spec!;
  const inputs = node.inputs ?? emptyValues();
  if (spec.artifactIterator) {
    const name = spec.artifactIterator.items?.inputArtifact ?? '';
    const items = inputs.artifacts[name];
    if (!items) throw new Error(`the loop's items input artifact '${name}' has no value`);
    return { kind: 'artifact', items };
  }
  const iterator = spec.parameterIterator!;
  let items: unknown;
  if (iterator.items?.raw !== undefined) items = JSON.parse(iterator.items.raw);
  else {
    const name = iterator.items?.inputParameter ?? '';
    items = inputs.parameters[name];
    if (items === undefined) throw new Error(`the loop's items input '${name}' has no value`);
    if (typeof items === 'string') {
      const text = items;
      try {
        items = JSON.parse(text);
      } catch {
        throw new Error(`the loop's items input '${name}' is not a JSON list: ${text.slice(0, 80)}`);
      }
    }
  }
  if (!Array.isArray(items))
    throw new Error(`the loop's items are not a list: ${JSON.stringify(items).slice(0, 80)}`);
  return { kind: 'parameter', items: items as JsonValue[] };
}
