/**
 * CEL in tasks: `triggerPolicy.condition` and `parameterExpressionSelector` must parse, and a condition may read
 * only the task's own inputs. KFP's driver binds `inputs.parameter_values` from the task's resolved inputs, so
 * a name that is not an input is a run-time error there; the compiler passes every value a condition compares
 * as a `pipelinechannel--…` input of the condition task.
 */
import { celParameterReads, checkCel } from './cel.ts';
import type { Issue } from './issues.ts';
import type { SemanticContext, TaskSite } from './semantic-context.ts';
import { taskPath } from './semantic-context.ts';
import { didYouMean } from './suggest.ts';

export function checkConditions(context: SemanticContext): Issue[] {
  const issues: Issue[] = [];
  for (const scope of context.dags) {
    for (const [name, task] of Object.entries(scope.tasks)) {
      const site: TaskSite = { scope, name, task };
      const condition = task.triggerPolicy?.condition;
      if (condition !== undefined && condition !== '') issues.push(...checkCondition(site, condition));
      for (const [input, source] of Object.entries(task.inputs?.parameters ?? {})) {
        const selector = source.parameterExpressionSelector;
        if (selector === undefined || selector === '') continue;
        const error = checkCel(selector);
        if (!error) continue;
        issues.push({
          code: 'BAD_CEL',
          path: taskPath(site, 'inputs', 'parameters', input, 'parameterExpressionSelector'),
          message: `not valid CEL: ${error.message}`,
        });
      }
    }
  }
  return issues;
}

function checkCondition(site: TaskSite, condition: string): Issue[] {
  const path = taskPath(site, 'triggerPolicy', 'condition');
  const error = checkCel(condition);
  if (error) return [{ code: 'BAD_CEL', path, message: `not valid CEL: ${error.message}` }];
  const inputs = Object.keys(site.task.inputs?.parameters ?? {});
  return celParameterReads(condition)
    .filter((name) => !inputs.includes(name))
    .map((name) => ({
      code: 'UNKNOWN_REFERENCE' as const,
      path,
      message: `reads inputs.parameter_values['${name}'], but task ${site.name} has no input parameter '${name}'${didYouMean(name, inputs)}; a condition sees only the task's own inputs, so pass the value under inputs.parameters`,
    }));
}
