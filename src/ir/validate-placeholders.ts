/**
 * Placeholders must parse, and name what exists: in an executor, the inputs and outputs of the component(s)
 * using it; in a task's constant values (f-strings such as `Hello {{$.inputs.parameters['pipelinechannel--name']}}`),
 * the task's own inputs, which is what KFP's driver substitutes them from.
 *
 * An executor may also read inputs that every task using its component passes beyond the declared interface:
 * the KFP compiler wires resource fields set from task outputs that way (see isCompilerAddedInput).
 */
import type { ExecutorReference } from './executor-references.ts';
import { formatPath, type Issue } from './issues.ts';
import { parsePlaceholders } from './placeholders.ts';
import type { SemanticContext, TaskSite } from './semantic-context.ts';
import { forEachString, taskPath } from './semantic-context.ts';
import type { ComponentSpec } from './spec.ts';
import { didYouMean } from './suggest.ts';

export function checkPlaceholders(context: SemanticContext): Issue[] {
  const issues: Issue[] = [];
  for (const label of Object.keys(context.executors)) {
    const found = context.executorReferences(label);
    const at = (path: Array<string | number>) => formatPath(['deploymentSpec', 'executors', label, ...path]);
    for (const error of found?.errors ?? []) {
      issues.push({ code: 'BAD_PLACEHOLDER', path: at(error.path), message: error.message });
    }
    for (const name of context.componentsRunning.get(label) ?? []) {
      const component = context.components[name]!;
      const inputs = inputsOf(component, passedByEveryTask(context, name));
      for (const reference of found?.references ?? []) {
        const message = referenceProblem(reference, name, component, inputs);
        if (message === undefined) continue;
        issues.push({ code: 'BAD_PLACEHOLDER', path: at(reference.path), message });
      }
    }
  }
  for (const scope of context.dags) {
    for (const [name, task] of Object.entries(scope.tasks)) {
      const parameters = task.inputs?.parameters ?? {};
      for (const [input, source] of Object.entries(parameters)) {
        forEachString(source.runtimeValue?.constant, (text, below) => {
          for (const segment of parsePlaceholders(text).segments) {
            if (segment.type !== 'PLACEHOLDER' || segment.placeholder.kind !== 'INPUT_PARAMETER') continue;
            const wanted = segment.placeholder.name;
            if (Object.hasOwn(parameters, wanted)) continue;
            issues.push({
              code: 'BAD_PLACEHOLDER',
              path: taskPath(
                { scope, name },
                'inputs',
                'parameters',
                input,
                'runtimeValue',
                'constant',
                ...below,
              ),
              message: `${segment.raw}: task ${name} has no input '${wanted}'${didYouMean(wanted, context.namesOf(parameters))}; the value is filled from the task's own inputs, so pass it under inputs.parameters`,
            });
          }
        });
      }
    }
  }
  return issues;
}

/** Parameter names every task using the component passes (none when no task uses it). */
function passedByEveryTask(context: SemanticContext, componentName: string): Set<string> {
  const users = context.usersOf.get(componentName) ?? [];
  if (users.length === 0) return new Set();
  const passedBy = (site: TaskSite) => site.task.inputs?.parameters ?? {};
  return new Set(
    Object.keys(passedBy(users[0]!)).filter((name) =>
      users.every((site) => Object.hasOwn(passedBy(site), name)),
    ),
  );
}

/**
 * What an executor's placeholders may read in one component using it: built once per component, since a
 * fan-in executor holds one reference per input (10,001 in the bench's fan10000).
 */
interface ComponentInputs {
  /** Declared input parameters, then those every task passes beyond them (see isCompilerAddedInput). */
  parameters: Set<string>;
  artifacts: Set<string>;
}

function inputsOf(component: ComponentSpec, passed: Set<string>): ComponentInputs {
  return {
    parameters: new Set([...Object.keys(component.inputDefinitions?.parameters ?? {}), ...passed]),
    artifacts: new Set(Object.keys(component.inputDefinitions?.artifacts ?? {})),
  };
}

function referenceProblem(
  reference: ExecutorReference,
  componentName: string,
  component: ComponentSpec,
  { parameters, artifacts }: ComponentInputs,
): string | undefined {
  const { name, source } = reference;
  const owner = `component ${componentName}`;
  if (reference.io === 'OUTPUT') {
    const outputs = component.outputDefinitions;
    const kind = reference.kind === 'ARTIFACT' ? 'artifacts' : 'parameters';
    if (outputs?.[kind]?.[name]) return undefined;
    if (kind === 'parameters' && outputs?.artifacts?.[name]) {
      return `${source}: '${name}' is an output artifact of ${owner}; use {{$.outputs.artifacts['${name}'].path}} or .uri`;
    }
    if (kind === 'artifacts' && outputs?.parameters?.[name]) {
      return `${source}: '${name}' is an output parameter of ${owner}; use {{$.outputs.parameters['${name}'].output_file}}`;
    }
    const noun = kind === 'artifacts' ? 'artifact' : 'parameter';
    return `${source}: ${owner} has no output ${noun} '${name}'${didYouMean(name, Object.keys(outputs?.[kind] ?? {}))}`;
  }
  if (reference.kind === 'ANY') {
    if (parameters.has(name) || artifacts.has(name)) return undefined;
    return `${source}: ${owner} has no input '${name}'${didYouMean(name, [...parameters, ...artifacts])}`;
  }
  if (reference.kind === 'PARAMETER') {
    if (parameters.has(name)) return undefined;
    if (artifacts.has(name)) {
      return `${source}: '${name}' is an input artifact of ${owner}, not a parameter; use {{$.inputs.artifacts['${name}'].path}} or .uri`;
    }
    return `${source}: ${owner} has no input parameter '${name}'${didYouMean(name, parameters)}`;
  }
  if (artifacts.has(name)) return undefined;
  if (parameters.has(name)) {
    return `${source}: '${name}' is an input parameter of ${owner}, not an artifact; use {{$.inputs.parameters['${name}']}}`;
  }
  return `${source}: ${owner} has no input artifact '${name}'${didYouMean(name, artifacts)}`;
}
