/**
 * Types across every edge: a task input against its source (an enclosing input or a sibling's output), and a
 * DAG output against the task output it selects, by KFP's rules (type-compatibility.ts). A TASK_FINAL_STATUS
 * input takes only `taskFinalStatus` (or an enclosing TASK_FINAL_STATUS input), and `taskFinalStatus` feeds
 * only TASK_FINAL_STATUS inputs.
 *
 * Not checked, because KFP's compiled IR does not carry exact types there and the corpus must pass untouched:
 * - values derived from loop items or a parameterExpressionSelector (see untyped-inputs.ts);
 * - a DAG output declared LIST (or an artifact list) over a single value: `dsl.Collected` fans values in over
 *   loop iterations, also from a condition DAG outside the loop (conditional_producer_and_consumers), so the
 *   declared type is the collection; for artifacts only the schemaTitle is compared.
 */
import type { Issue } from './issues.ts';
import type { DagScope, SemanticContext, TaskSite } from './semantic-context.ts';
import { scopePath, taskPath } from './semantic-context.ts';
import { type ArtifactDefinition, artifactMismatch, isSet, parameterFits } from './type-compatibility.ts';
import { inputKey, untypedInputs } from './untyped-inputs.ts';

interface Source<T> {
  definition: T | undefined;
  /** `task prep's output 'Output'` or `input 'x' of the pipeline (root)`. */
  label: string;
  loose: boolean;
}

export function checkTypes(context: SemanticContext): Issue[] {
  const loose = untypedInputs(context);
  const issues: Issue[] = [];
  for (const scope of context.dags) {
    for (const [name, task] of Object.entries(scope.tasks)) {
      issues.push(...checkTaskEdges(context, { scope, name, task }, loose));
    }
    issues.push(...checkDagOutputEdges(context, scope));
  }
  return issues;
}

function checkTaskEdges(context: SemanticContext, site: TaskSite, loose: Set<string>): Issue[] {
  const issues: Issue[] = [];
  const ref = site.task.componentRef?.name ?? '';
  const declared = context.components[ref]?.inputDefinitions;
  const enclosing = site.scope.component.inputDefinitions;
  const ownerKey = site.scope.path.join('.');
  for (const [input, source] of Object.entries(site.task.inputs?.parameters ?? {})) {
    const expected = declared?.parameters?.[input]?.parameterType;
    const path = taskPath(site, 'inputs', 'parameters', input);
    const consumer = `input '${input}' of component ${ref}`;
    if (source.taskFinalStatus) {
      if (expected !== undefined && expected !== 'TASK_FINAL_STATUS') {
        const message = `taskFinalStatus gives a TASK_FINAL_STATUS value, but ${consumer} is ${expected}; declare the input as TASK_FINAL_STATUS`;
        issues.push({ code: 'TYPE_MISMATCH', path, message });
      }
      continue;
    }
    if (source.parameterExpressionSelector !== undefined) continue;
    let given: Source<string>;
    if (source.componentInputParameter !== undefined) {
      const name = source.componentInputParameter;
      const definition = enclosing?.parameters?.[name]?.parameterType;
      const label = `input '${name}' of ${site.scope.label}`;
      given = { definition, label, loose: loose.has(inputKey(ownerKey, name)) };
    } else if (source.taskOutputParameter) {
      const { producerTask = '', outputParameterKey = '' } = source.taskOutputParameter;
      const producer = context.components[site.scope.tasks[producerTask]?.componentRef?.name ?? ''];
      const definition = producer?.outputDefinitions?.parameters?.[outputParameterKey]?.parameterType;
      given = { definition, label: `task ${producerTask}'s output '${outputParameterKey}'`, loose: false };
    } else {
      if (expected === 'TASK_FINAL_STATUS' && source.runtimeValue) {
        const message = `${consumer} is TASK_FINAL_STATUS, which only taskFinalStatus: {producerTask: …} can feed`;
        issues.push({ code: 'TYPE_MISMATCH', path, message });
      }
      continue;
    }
    if (given.loose || !isSet(given.definition) || !isSet(expected)) continue;
    if (parameterFits(given.definition, expected)) continue;
    const fix =
      expected === 'TASK_FINAL_STATUS' ? '; only taskFinalStatus: {producerTask: …} can feed it' : '';
    const message = `${given.label} is ${given.definition}, but ${consumer} is ${expected}${fix}`;
    issues.push({ code: 'TYPE_MISMATCH', path, message });
  }
  for (const [input, source] of Object.entries(site.task.inputs?.artifacts ?? {})) {
    const expected = declared?.artifacts?.[input];
    let given: Source<ArtifactDefinition>;
    if (source.componentInputArtifact !== undefined) {
      const name = source.componentInputArtifact;
      const label = `input '${name}' of ${site.scope.label}`;
      given = { definition: enclosing?.artifacts?.[name], label, loose: loose.has(inputKey(ownerKey, name)) };
    } else if (source.taskOutputArtifact) {
      const { producerTask = '', outputArtifactKey = '' } = source.taskOutputArtifact;
      const producer = context.components[site.scope.tasks[producerTask]?.componentRef?.name ?? ''];
      const definition = producer?.outputDefinitions?.artifacts?.[outputArtifactKey];
      given = { definition, label: `task ${producerTask}'s output '${outputArtifactKey}'`, loose: false };
    } else continue;
    if (given.loose || !given.definition || !expected) continue;
    const problem = artifactMismatch(given.definition, expected);
    if (problem === undefined) continue;
    const message = `${given.label} is ${problem.given}, but input '${input}' of component ${ref} is ${problem.expected}`;
    issues.push({ code: 'TYPE_MISMATCH', path: taskPath(site, 'inputs', 'artifacts', input), message });
  }
  return issues;
}

function checkDagOutputEdges(context: SemanticContext, scope: DagScope): Issue[] {
  const issues: Issue[] = [];
  const declared = scope.component.outputDefinitions;
  const outputsOf = (producer: string | undefined) =>
    context.components[scope.tasks[producer ?? '']?.componentRef?.name ?? '']?.outputDefinitions;
  for (const [name, output] of Object.entries(scope.component.dag?.outputs?.parameters ?? {})) {
    const expected = declared?.parameters?.[name]?.parameterType;
    const selectors = output.valueFromParameter ? [output.valueFromParameter] : [];
    const all = [...selectors, ...(output.valueFromOneof?.parameterSelectors ?? [])];
    for (const s of all) {
      const given = outputsOf(s.producerSubtask)?.parameters?.[s.outputParameterKey ?? '']?.parameterType;
      // A LIST output collects whatever its producer gives, iteration by iteration (see the header).
      const collected = expected === 'LIST';
      if (!isSet(given) || !isSet(expected) || collected || parameterFits(given, expected)) continue;
      const message = `task ${s.producerSubtask}'s output '${s.outputParameterKey}' is ${given}, but ${scope.label} declares output '${name}' as ${expected}`;
      issues.push({
        code: 'TYPE_MISMATCH',
        path: scopePath(scope, 'dag', 'outputs', 'parameters', name),
        message,
      });
    }
  }
  for (const [name, output] of Object.entries(scope.component.dag?.outputs?.artifacts ?? {})) {
    const expected = declared?.artifacts?.[name];
    for (const s of output.artifactSelectors ?? []) {
      const produced = outputsOf(s.producerSubtask)?.artifacts?.[s.outputArtifactKey ?? ''];
      const collected = expected?.isArtifactList && !produced?.isArtifactList;
      const given = collected && produced ? { ...produced, isArtifactList: true } : produced;
      const problem = given && expected ? artifactMismatch(given, expected) : undefined;
      if (problem === undefined) continue;
      const message = `task ${s.producerSubtask}'s output '${s.outputArtifactKey}' is ${problem.given}, but ${scope.label} declares output '${name}' as ${problem.expected}`;
      issues.push({
        code: 'TYPE_MISMATCH',
        path: scopePath(scope, 'dag', 'outputs', 'artifacts', name),
        message,
      });
    }
  }
  return issues;
}
