/**
 * ParallelFor tasks: what they iterate over and where each item goes. `items.inputParameter` /
 * `items.inputArtifact` name one of the loop task's own inputs (the compiler passes the list in as
 * `pipelinechannel--…`); `itemInput` names the loop body component's input that receives one item.
 */
import type { Issue } from './issues.ts';
import type { SemanticContext, TaskSite } from './semantic-context.ts';
import { taskPath } from './semantic-context.ts';
import { didYouMean } from './suggest.ts';

export function checkIterators(context: SemanticContext): Issue[] {
  const issues: Issue[] = [];
  for (const scope of context.dags) {
    for (const [name, task] of Object.entries(scope.tasks)) {
      const site: TaskSite = { scope, name, task };
      if (task.parameterIterator) issues.push(...checkParameterIterator(context, site));
      if (task.artifactIterator) issues.push(...checkArtifactIterator(context, site));
    }
  }
  return issues;
}

function checkParameterIterator(context: SemanticContext, site: TaskSite): Issue[] {
  const issues: Issue[] = [];
  const iterator = site.task.parameterIterator!;
  const raw = iterator.items?.raw;
  if (raw !== undefined) {
    const problem = jsonArrayProblem(raw);
    if (problem !== undefined) {
      issues.push({
        code: 'INVALID_VALUE',
        path: taskPath(site, 'parameterIterator', 'items', 'raw'),
        message: `items.raw must be a JSON array string such as '["a", "b"]' or '[1, 2]', but ${problem}`,
      });
    }
  }
  const listInput = iterator.items?.inputParameter;
  if (listInput !== undefined) {
    issues.push(...ownInput(site, listInput, 'parameters', ['parameterIterator', 'items', 'inputParameter']));
  }
  issues.push(...bodyInput(context, site, iterator.itemInput, 'parameters', 'parameterIterator'));
  return issues;
}

function checkArtifactIterator(context: SemanticContext, site: TaskSite): Issue[] {
  const iterator = site.task.artifactIterator!;
  const listInput = iterator.items?.inputArtifact;
  return [
    ...(listInput === undefined
      ? []
      : ownInput(site, listInput, 'artifacts', ['artifactIterator', 'items', 'inputArtifact'])),
    ...bodyInput(context, site, iterator.itemInput, 'artifacts', 'artifactIterator'),
  ];
}

function jsonArrayProblem(raw: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return `'${raw}' is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (Array.isArray(value)) return undefined;
  return `'${raw}' is ${value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

/** The list to iterate over comes in through one of the loop task's own inputs. */
function ownInput(site: TaskSite, name: string, kind: 'parameters' | 'artifacts', at: string[]): Issue[] {
  const given = Object.keys(site.task.inputs?.[kind] ?? {});
  if (given.includes(name)) return [];
  const noun = kind === 'parameters' ? 'parameter' : 'artifact';
  return [
    {
      code: 'UNKNOWN_REFERENCE',
      path: taskPath(site, ...at),
      message: `task ${site.name} has no input ${noun} '${name}' to iterate over${didYouMean(name, given)}; pass the list under inputs.${kind}.${name}`,
    },
  ];
}

function bodyInput(
  context: SemanticContext,
  site: TaskSite,
  itemInput: string | undefined,
  kind: 'parameters' | 'artifacts',
  field: string,
): Issue[] {
  const ref = site.task.componentRef?.name ?? '';
  const body = context.components[ref];
  if (itemInput === undefined || !body || body.inputDefinitions?.[kind]?.[itemInput]) return [];
  const declared = Object.keys(body.inputDefinitions?.[kind] ?? {});
  const noun = kind === 'parameters' ? 'parameter' : 'artifact';
  return [
    {
      code: 'UNKNOWN_REFERENCE',
      path: taskPath(site, field, 'itemInput'),
      message: `loop body component ${ref} has no input ${noun} '${itemInput}' to receive each item${didYouMean(itemInput, declared)}`,
    },
  ];
}
