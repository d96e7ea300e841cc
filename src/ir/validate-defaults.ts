/**
 * A parameter's defaultValue must be a value of its parameterType, as KFP's driver and the API server read it:
 * NUMBER_INTEGER a JS-safe integer (proto int64 through JSON; ±2^53), NUMBER_DOUBLE a number, STRING a string,
 * BOOLEAN true/false, LIST an array, STRUCT an object. A null default means "no default" (proto Value null)
 * and is accepted; TASK_FINAL_STATUS and TASK_CONFIG are filled by the backend and not checked.
 */
import { formatPath, type Issue } from './issues.ts';
import type { ComponentSpec, JsonValue, PipelineDocument } from './spec.ts';

export function checkDefaults(document: PipelineDocument): Issue[] {
  const spec = document.pipelineSpec;
  const owners: Array<[string[], ComponentSpec | undefined]> = [
    [['root'], spec.root],
    ...Object.entries(spec.components ?? {}).map(([name, c]): [string[], ComponentSpec] => [
      ['components', name],
      c,
    ]),
  ];
  const issues: Issue[] = [];
  for (const [path, component] of owners) {
    for (const [name, definition] of Object.entries(component?.inputDefinitions?.parameters ?? {})) {
      const value = definition.defaultValue;
      const type = definition.parameterType;
      if (value === undefined || value === null || type === undefined) continue;
      const problem = defaultProblem(value, type);
      if (problem === undefined) continue;
      issues.push({
        code: 'INVALID_VALUE',
        path: formatPath([...path, 'inputDefinitions', 'parameters', name, 'defaultValue']),
        message: `default ${JSON.stringify(value)} ${problem}`,
      });
    }
  }
  return issues;
}

function defaultProblem(value: JsonValue, type: string): string | undefined {
  const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
  switch (type) {
    case 'NUMBER_INTEGER':
      if (typeof value !== 'number') {
        return `is ${kind}, but the parameter is NUMBER_INTEGER; write a whole number`;
      }
      if (!Number.isInteger(value)) return 'is not a whole number, but the parameter is NUMBER_INTEGER';
      if (!Number.isSafeInteger(value)) {
        return 'is outside ±9007199254740991, the integers a NUMBER_INTEGER value keeps exactly through JSON';
      }
      return undefined;
    case 'NUMBER_DOUBLE':
      return typeof value === 'number'
        ? undefined
        : `is ${kind}, but the parameter is NUMBER_DOUBLE; write a number`;
    case 'STRING':
      return typeof value === 'string' ? undefined : `is ${kind}, but the parameter is STRING; quote it`;
    case 'BOOLEAN':
      return typeof value === 'boolean'
        ? undefined
        : `is ${kind}, but the parameter is BOOLEAN; write true or false`;
    case 'LIST':
      return Array.isArray(value) ? undefined : `is ${kind}, but the parameter is LIST; write a list`;
    case 'STRUCT':
      return typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : `is ${kind}, but the parameter is STRUCT; write an object (a map)`;
    default:
      return undefined;
  }
}
