/**
 * Names that must point at something: a task's component, a component's executor, a task's dependencies and a
 * DAG's output selectors. Unused components and executors are fine (KFP keeps them too).
 */
import type { Issue } from './issues.ts';
import type { DagScope, SemanticContext } from './semantic-context.ts';
import { scopePath, taskPath } from './semantic-context.ts';
import { didYouMean } from './suggest.ts';

export function checkReferences(context: SemanticContext): Issue[] {
  const issues: Issue[] = [];
  for (const [name, component] of Object.entries(context.components)) {
    const label = component.executorLabel;
    if (label !== undefined && !context.executors[label]) {
      issues.push({
        code: 'UNKNOWN_REFERENCE',
        path: `components.${name}.executorLabel`,
        message: `executor '${label}' does not exist in deploymentSpec.executors${didYouMean(label, context.namesOf(context.executors))}`,
      });
    }
  }
  for (const scope of context.dags) {
    for (const [name, task] of Object.entries(scope.tasks)) {
      const site = { scope, name };
      const ref = task.componentRef?.name;
      if (ref !== undefined && !context.components[ref]) {
        issues.push({
          code: 'UNKNOWN_REFERENCE',
          path: taskPath(site, 'componentRef', 'name'),
          message: `component '${ref}' does not exist in components${didYouMean(ref, context.namesOf(context.components))}`,
        });
      }
      task.dependentTasks?.forEach((dependency, i) => {
        if (scope.tasks[dependency]) return;
        issues.push({
          code: 'UNKNOWN_REFERENCE',
          path: taskPath(site, 'dependentTasks', i),
          message: missingTaskMessage(context, scope, dependency),
        });
      });
    }
    issues.push(...checkDagOutputs(context, scope));
  }
  return issues;
}

/** `task 'x' does not exist in this DAG`, pointing at the DAG that has it when the name is used elsewhere. */
export function missingTaskMessage(context: SemanticContext, scope: DagScope, name: string): string {
  const suggestion = didYouMean(name, context.namesOf(scope.tasks));
  if (suggestion !== '') return `task '${name}' does not exist in this DAG${suggestion}`;
  const elsewhere = context.dags.find((other) => other !== scope && other.tasks[name]);
  if (!elsewhere) return `task '${name}' does not exist in this DAG`;
  return `task '${name}' is in ${elsewhere.label}, not in this DAG; a DAG sees only its own tasks, so surface the value through that DAG's outputs`;
}

function checkDagOutputs(context: SemanticContext, scope: DagScope): Issue[] {
  const issues: Issue[] = [];
  const outputs = scope.component.dag?.outputs;
  const declared = scope.component.outputDefinitions;
  const selector = (
    path: Array<string | number>,
    producer: string | undefined,
    key: string | undefined,
    kind: 'parameters' | 'artifacts',
  ): void => {
    if (producer === undefined) return;
    const task = scope.tasks[producer];
    if (!task) {
      const message = missingTaskMessage(context, scope, producer);
      issues.push({ code: 'UNKNOWN_REFERENCE', path: scopePath(scope, ...path, 'producerSubtask'), message });
      return;
    }
    const ref = task.componentRef?.name ?? '';
    const producerOutputs = context.components[ref]?.outputDefinitions?.[kind];
    if (key === undefined || !context.components[ref] || producerOutputs?.[key]) return;
    const noun = kind === 'parameters' ? 'output parameter' : 'output artifact';
    const keyField = kind === 'parameters' ? 'outputParameterKey' : 'outputArtifactKey';
    issues.push({
      code: 'UNKNOWN_REFERENCE',
      path: scopePath(scope, ...path, keyField),
      message: `component ${ref} (task ${producer}) has no ${noun} '${key}'${didYouMean(key, context.namesOf(producerOutputs))}`,
    });
  };
  for (const [name, output] of Object.entries(outputs?.parameters ?? {})) {
    const base = ['dag', 'outputs', 'parameters', name];
    issues.push(...undeclaredOutput(context, scope, base, name, declared?.parameters, 'parameter'));
    const single = output.valueFromParameter;
    selector(
      [...base, 'valueFromParameter'],
      single?.producerSubtask,
      single?.outputParameterKey,
      'parameters',
    );
    output.valueFromOneof?.parameterSelectors?.forEach((s, i) => {
      const at = [...base, 'valueFromOneof', 'parameterSelectors', i];
      selector(at, s.producerSubtask, s.outputParameterKey, 'parameters');
    });
  }
  for (const [name, output] of Object.entries(outputs?.artifacts ?? {})) {
    const base = ['dag', 'outputs', 'artifacts', name];
    issues.push(...undeclaredOutput(context, scope, base, name, declared?.artifacts, 'artifact'));
    output.artifactSelectors?.forEach((s, i) => {
      selector([...base, 'artifactSelectors', i], s.producerSubtask, s.outputArtifactKey, 'artifacts');
    });
  }
  return issues;
}

function undeclaredOutput(
  context: SemanticContext,
  scope: DagScope,
  path: string[],
  name: string,
  declared: Record<string, unknown> | undefined,
  noun: string,
): Issue[] {
  if (declared !== undefined && Object.hasOwn(declared, name)) return [];
  const where = `${scope.path.join('.')}.outputDefinitions.${noun}s`;
  return [
    {
      code: 'UNKNOWN_REFERENCE',
      path: scopePath(scope, ...path),
      message: `${scope.label} does not declare output ${noun} '${name}'${didYouMean(name, context.namesOf(declared))}; add it to ${where}`,
    },
  ];
}
