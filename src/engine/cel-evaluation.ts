/**
 * Evaluates KFP's CEL: trigger conditions over a task's inputs (`inputs.parameter_values['x']`) and
 * parameter expression selectors over one value (`parseJson(string_value)["key"]`, with KFP's `parseJson`).
 * Numbers are CEL doubles, as in KFP's driver (protobuf Values), so `int(…)` casts behave the same.
 * An expression that cannot be evaluated is an error for the caller, never a silent false.
 */
import { CelScalar, celEnv, celFunc, isCelError, isCelList, isCelMap, parse, plan } from '@bufbuild/cel';
import type { JsonValue } from '../ir/index.ts';

export class CelEvaluationError extends Error {}

const parseJson = celFunc('parseJson', [CelScalar.STRING], CelScalar.DYN, (text: string) => {
  return JSON.parse(text) as never;
});
const environment = celEnv({ funcs: [parseJson] });
type Program = (bindings: Record<string, unknown>) => unknown;
/** Plans are reused: a loop runs the same condition or selector once per iteration. */
const compiled = new Map<string, Program>();

function evaluate(expression: string, bindings: Record<string, unknown>): unknown {
  let program = compiled.get(expression);
  if (!program) {
    try {
      program = plan(environment, parse(expression)) as unknown as Program;
    } catch (error) {
      throw new CelEvaluationError(`cannot parse '${expression}': ${(error as Error).message}`);
    }
    compiled.set(expression, program);
  }
  let result: unknown;
  try {
    result = program(bindings);
  } catch (error) {
    throw new CelEvaluationError(`'${expression}' failed: ${(error as Error).message}`);
  }
  if (isCelError(result)) throw new CelEvaluationError(`'${expression}' failed: ${result.message}`);
  return result;
}

/** A trigger condition; `parameters` are the task's resolved input parameter values. */
export function evaluateCondition(expression: string, parameters: Record<string, JsonValue>): boolean {
  const result = evaluate(expression, { inputs: { parameter_values: parameters } });
  if (typeof result !== 'boolean') {
    throw new CelEvaluationError(`'${expression}' gave ${String(result)}, not true or false`);
  }
  return result;
}

/** A parameter expression selector applied to one value (KFP binds it as string_value / number_value …). */
export function evaluateSelector(expression: string, value: JsonValue): JsonValue {
  const bindings: Record<string, unknown> = {
    string_value: typeof value === 'string' ? value : JSON.stringify(value),
    number_value: typeof value === 'number' ? value : 0,
    bool_value: typeof value === 'boolean' ? value : false,
    struct_value: value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {},
    list_value: Array.isArray(value) ? value : [],
  };
  return toJson(evaluate(expression, bindings));
}

function toJson(value: unknown): JsonValue {
  if (typeof value === 'bigint') return Number(value);
  if (isCelList(value)) return [...(value as Iterable<unknown>)].map(toJson);
  if (isCelMap(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of value as unknown as Iterable<[unknown, unknown]>)
      out[String(key)] = toJson(item);
    return out;
  }
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}
