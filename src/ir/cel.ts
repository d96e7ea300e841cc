/**
 * CEL as KFP uses it: trigger conditions (`inputs.parameter_values['pipelinechannel--x'] == 'heads'`) and
 * parameter expression selectors (`parseJson(string_value)["B_b"]`). Only the syntax is checked here, with
 * @bufbuild/cel's parser (closest to cel-go, which KFP's driver runs); function names are not, since KFP adds
 * its own (`parseJson`) and a parse never resolves them.
 */
import { parse } from '@bufbuild/cel';

type CelExpr = ReturnType<typeof parse>['expr'];

export interface CelSyntaxError {
  /** CEL's own message, with where it points and a hint when the cause is obvious. */
  message: string;
  line: number;
  column: number;
}

/**
 * Parse-checks a CEL expression; undefined when it parses.
 *
 * @example
 * checkCel("int(inputs.parameter_values['pipelinechannel--n']) > 5") // undefined
 * checkCel("inputs.parameter_values['x'] ==")?.message
 * // "found = but expecting end of input (line 1, column 30)"
 */
export function checkCel(expression: string): CelSyntaxError | undefined {
  const parsed = parseCel(expression);
  return 'error' in parsed ? parsed.error : undefined;
}

/**
 * The parameter names an expression reads as `inputs.parameter_values['name']` (or `.name`), in order of first
 * use; an expression that does not parse reads nothing. A computed index (`parameter_values[k]`) is skipped,
 * since its name is unknown before run time.
 *
 * @example
 * celParameterReads("int(inputs.parameter_values['pipelinechannel--n']) > 5") // ['pipelinechannel--n']
 */
export function celParameterReads(expression: string): string[] {
  const parsed = parseCel(expression);
  if ('error' in parsed) return [];
  const names = new Set<string>();
  visit(parsed.expr, names);
  return [...names];
}

function parseCel(expression: string): { expr: CelExpr } | { error: CelSyntaxError } {
  if (expression.trim() === '') return { error: { message: 'the expression is empty', line: 1, column: 1 } };
  try {
    return { expr: parse(expression).expr };
  } catch (error) {
    return { error: toSyntaxError(expression, error) };
  }
}

function toSyntaxError(expression: string, error: unknown): CelSyntaxError {
  const details = error as {
    rawMessage?: unknown;
    location?: { start?: { line?: number; column?: number } };
  };
  const raw = typeof details.rawMessage === 'string' ? details.rawMessage : String(error);
  const line = details.location?.start?.line ?? 1;
  const column = details.location?.start?.column ?? 1;
  const hint = obviousCause(expression);
  return { message: `${raw} (line ${line}, column ${column})${hint ? `; ${hint}` : ''}`, line, column };
}

/**
 * The parser backtracks and reports where its last full parse ended, which can point far from an unclosed quote
 * or bracket; naming that cause directly saves the reader a hunt.
 */
function obviousCause(expression: string): string | undefined {
  const open: string[] = [];
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (c === "'" || c === '"') {
      let end = i + 1;
      while (end < expression.length && expression[end] !== c) end += expression[end] === '\\' ? 2 : 1;
      if (end >= expression.length) return `the string starting at column ${i + 1} is not closed`;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') open.push(c);
    else if (c in closing && open.pop() !== closing[c]) return `'${c}' at column ${i + 1} closes nothing`;
  }
  return open.length > 0 ? `'${open[open.length - 1]}' is not closed` : undefined;
}

function visit(expr: CelExpr | undefined, names: Set<string>): void {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'callExpr': {
      const [target, index] = kind.value.args;
      if (
        kind.value.function === '_[_]' &&
        isParameterValues(target) &&
        index?.exprKind.case === 'constExpr'
      ) {
        const constant = index.exprKind.value.constantKind;
        if (constant.case === 'stringValue') names.add(constant.value);
      }
      visit(kind.value.target, names);
      for (const arg of kind.value.args) visit(arg, names);
      return;
    }
    case 'selectExpr':
      if (isParameterValues(kind.value.operand)) names.add(kind.value.field);
      visit(kind.value.operand, names);
      return;
    case 'listExpr':
      for (const element of kind.value.elements) visit(element, names);
      return;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value, names);
        visit(entry.value, names);
      }
      return;
    case 'comprehensionExpr':
      for (const part of ['iterRange', 'accuInit', 'loopCondition', 'loopStep', 'result'] as const) {
        visit(kind.value[part], names);
      }
      return;
    default:
      return;
  }
}

/** `inputs.parameter_values`, the map KFP binds from the task's ExecutorInput. */
function isParameterValues(expr: CelExpr | undefined): boolean {
  if (expr?.exprKind.case !== 'selectExpr') return false;
  const { operand, field } = expr.exprKind.value;
  return (
    field === 'parameter_values' &&
    operand?.exprKind.case === 'identExpr' &&
    operand.exprKind.value.name === 'inputs'
  );
}
