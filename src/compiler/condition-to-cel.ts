/**
 * Conditions to CEL, as KFP writes them: each comparison reads the group task's inputs
 * (`inputs.parameter_values['pipelinechannel--…']`), integers are wrapped in `int(…)` (the values arrive as
 * JSON numbers), mixed types are promoted (string > boolean > double > integer), Elif/Else negations are
 * `!(…)`, and comparisons are joined with `&&`.
 */

import { type ConditionOperation, DslError, type Operand, ParameterChannel } from '../dsl/index.ts';
import type { ParameterType } from '../ir/index.ts';
import { inputName } from './group-inputs.ts';

export function conditionsToCel(conditions: ReadonlyArray<ConditionOperation>): string {
  return conditions.map(comparisonToCel).join(' && ');
}

function comparisonToCel(condition: ConditionOperation): string {
  const operands = [condition.left, condition.right];
  const types = operands.map(operandType);
  for (const [index, operand] of operands.entries()) {
    if (operand instanceof ParameterChannel && (types[index] === 'LIST' || types[index] === 'STRUCT')) {
      throw new DslError(
        `conditions compare single values; '${operand.fullName}' is a ${types[index]} (compare one of its fields or a derived value)`,
      );
    }
  }
  const canonical = promote(types[0]!, types[1]!);
  const [left, right] = operands.map((operand, index) => operandToCel(operand, types[index]!, canonical));
  const text = `${left} ${condition.operator} ${right}`;
  return condition.negate ? `!(${text})` : text;
}

function operandType(operand: Operand): ParameterType {
  if (operand instanceof ParameterChannel) return operand.type;
  if (typeof operand === 'string') return 'STRING';
  if (typeof operand === 'boolean') return 'BOOLEAN';
  if (typeof operand === 'number') return Number.isInteger(operand) ? 'NUMBER_INTEGER' : 'NUMBER_DOUBLE';
  throw new DslError(
    `a condition operand must be a channel, string, number or boolean; got ${JSON.stringify(operand)}`,
  );
}

function promote(a: ParameterType, b: ParameterType): ParameterType {
  if (a === b) return a;
  if (a === 'STRING' || b === 'STRING') return 'STRING';
  if (a === 'BOOLEAN' || b === 'BOOLEAN') {
    throw new DslError(
      `a condition compares a boolean with a ${a === 'BOOLEAN' ? b : a}; compare like with like`,
    );
  }
  return 'NUMBER_DOUBLE';
}

function operandToCel(operand: Operand, type: ParameterType, canonical: ParameterType): string {
  let text: string;
  if (operand instanceof ParameterChannel) {
    text = `inputs.parameter_values['${inputName(operand)}']`;
    if (type === 'NUMBER_INTEGER') text = `int(${text})`;
  } else if (typeof operand === 'string') {
    text = celString(operand);
  } else {
    text = String(operand);
  }
  if (type === canonical) return text;
  if (canonical === 'STRING')
    return operand instanceof ParameterChannel ? `string(${text})` : celString(String(operand));
  return `double(${text})`;
}

/** A single-quoted CEL string; KFP does not escape, so quotes and backslashes are escaped here. */
function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
