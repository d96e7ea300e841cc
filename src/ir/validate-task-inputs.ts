/**
 * A task's inputs against its component's interface, and each input's source against what the enclosing DAG
 * can see: the enclosing component's inputs and the outputs of sibling tasks.
 */
import type { Issue } from './issues.ts';
import type { SemanticContext, TaskSite } from './semantic-context.ts';
import { isCompilerAddedInput, taskPath } from './semantic-context.ts';
import type { ComponentSpec, InputParameterDefinition } from './spec.ts';
import { didYouMean } from './suggest.ts';
import { missingTaskMessage } from './validate-references.ts';

export function checkTaskInputs(context: SemanticContext): Issue[] {
  const issues: Issue[] = [];
  for (const scope of context.dags) {
    for (const [name, task] of Object.entries(scope.tasks)) {
      const site: TaskSite = { scope, name, task };
      const ref = task.componentRef?.name ?? '';
      const component = context.components[ref];
      if (component) issues.push(...checkAgainstInterface(context, site, ref, component));
      issues.push(...checkSources(context, site));
    }
  }
  return issues;
}

type Kind = 'parameters' | 'artifacts';
const OTHER: Record<Kind, Kind> = { parameters: 'artifacts', artifacts: 'parameters' };
const NOUN: Record<Kind, string> = { parameters: 'parameter', artifacts: 'artifact' };
const A_NOUN: Record<Kind, string> = { parameters: 'a parameter', artifacts: 'an artifact' };

function checkAgainstInterface(
  context: SemanticContext,
  site: TaskSite,
  ref: string,
  component: ComponentSpec,
): Issue[] {
  const issues: Issue[] = [];
  const declared = component.inputDefinitions;
  for (const kind of ['parameters', 'artifacts'] as const) {
    const given = site.task.inputs?.[kind] ?? {};
    for (const input of Object.keys(given)) {
      if (
        declared?.[kind]?.[input] ||
        (kind === 'parameters' && isCompilerAddedInput(context, site.task, input))
      ) {
        continue;
      }
      const path = taskPath(site, 'inputs', kind, input);
      if (declared?.[OTHER[kind]]?.[input]) {
        const message = `component ${ref} declares '${input}' as an input ${NOUN[OTHER[kind]]}, not ${A_NOUN[kind]}; move it to inputs.${OTHER[kind]}`;
        issues.push({ code: 'UNKNOWN_REFERENCE', path, message });
        continue;
      }
      const message = `component ${ref} has no input '${input}'${didYouMean(input, context.namesOf(declared?.[kind]))}`;
      issues.push({ code: 'UNKNOWN_REFERENCE', path, message });
    }
    const iterated = kind === 'parameters' ? site.task.parameterIterator : site.task.artifactIterator;
    for (const [input, definition] of Object.entries(declared?.[kind] ?? {})) {
      const parameter = kind === 'parameters' ? (definition as InputParameterDefinition) : undefined;
      if (given[input] || definition?.isOptional || parameter?.defaultValue !== undefined) continue;
      // The iterator fills its item input; TASK_CONFIG is injected by the backend from the task's own config.
      if (iterated?.itemInput === input || parameter?.parameterType === 'TASK_CONFIG') continue;
      const type = parameter?.parameterType === undefined ? '' : ` (${parameter.parameterType})`;
      const fix = iterated
        ? `; if it is the loop item, name it in ${kind === 'parameters' ? 'parameterIterator' : 'artifactIterator'}.itemInput`
        : '';
      issues.push({
        code: 'MISSING_INPUT',
        path: taskPath(site, 'inputs', kind, input),
        message: `required input ${NOUN[kind]} '${input}'${type} of component ${ref} is not set; pass it here, or mark it isOptional${kind === 'parameters' ? ' or give it a defaultValue' : ''} in the component${fix}`,
      });
    }
  }
  return issues;
}

function checkSources(context: SemanticContext, site: TaskSite): Issue[] {
  const issues: Issue[] = [];
  const { scope } = site;
  const enclosing = scope.component.inputDefinitions;
  const unknownTask = (path: string, producer: string | undefined): boolean => {
    if (producer === undefined || scope.tasks[producer]) return false;
    const message = missingTaskMessage(context, scope, producer);
    issues.push({ code: 'UNKNOWN_REFERENCE', path, message });
    return true;
  };
  const fromParent = (path: string, kind: Kind, name: string | undefined): void => {
    if (name === undefined || enclosing?.[kind]?.[name]) return;
    const field = kind === 'parameters' ? 'componentInputParameter' : 'componentInputArtifact';
    const message = enclosing?.[OTHER[kind]]?.[name]
      ? `'${name}' is an input ${NOUN[OTHER[kind]]} of ${scope.label}, not ${A_NOUN[kind]}; use ${kind === 'parameters' ? 'componentInputArtifact under inputs.artifacts' : 'componentInputParameter under inputs.parameters'}`
      : `${scope.label} has no input ${NOUN[kind]} '${name}'${didYouMean(name, context.namesOf(enclosing?.[kind]))}`;
    issues.push({ code: 'UNKNOWN_REFERENCE', path: `${path}.${field}`, message });
  };
  const fromTask = (
    path: string,
    kind: Kind,
    producer: string | undefined,
    key: string | undefined,
  ): void => {
    if (unknownTask(`${path}.producerTask`, producer) || producer === undefined || key === undefined) return;
    const ref = scope.tasks[producer]?.componentRef?.name ?? '';
    const outputs = context.components[ref]?.outputDefinitions;
    if (!context.components[ref] || outputs?.[kind]?.[key]) return;
    const keyField = kind === 'parameters' ? 'outputParameterKey' : 'outputArtifactKey';
    const message = outputs?.[OTHER[kind]]?.[key]
      ? `'${key}' is an output ${NOUN[OTHER[kind]]} of component ${ref} (task ${producer}), not ${A_NOUN[kind]}`
      : `component ${ref} (task ${producer}) has no output ${NOUN[kind]} '${key}'${didYouMean(key, context.namesOf(outputs?.[kind]))}`;
    issues.push({ code: 'UNKNOWN_REFERENCE', path: `${path}.${keyField}`, message });
  };
  for (const [input, source] of Object.entries(site.task.inputs?.parameters ?? {})) {
    const path = taskPath(site, 'inputs', 'parameters', input);
    fromParent(path, 'parameters', source.componentInputParameter);
    const output = source.taskOutputParameter;
    if (output) {
      fromTask(`${path}.taskOutputParameter`, 'parameters', output.producerTask, output.outputParameterKey);
    }
    unknownTask(`${path}.taskFinalStatus.producerTask`, source.taskFinalStatus?.producerTask);
  }
  for (const [input, source] of Object.entries(site.task.inputs?.artifacts ?? {})) {
    const path = taskPath(site, 'inputs', 'artifacts', input);
    fromParent(path, 'artifacts', source.componentInputArtifact);
    const output = source.taskOutputArtifact;
    if (output) {
      fromTask(`${path}.taskOutputArtifact`, 'artifacts', output.producerTask, output.outputArtifactKey);
    }
  }
  return issues;
}
