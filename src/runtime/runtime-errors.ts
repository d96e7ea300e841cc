/** Errors of the component side of the protocol; each says which placeholder, output or module is at fault. */
import { SluiceError } from '../errors.ts';

/** A placeholder names something the ExecutorInput (or the run) does not provide. */
export class UnresolvedPlaceholderError extends SluiceError {
  constructor(
    readonly placeholder: string,
    readonly argument: string,
    reason: string,
  ) {
    const where = argument === placeholder ? '' : ` in argument ${quote(argument)}`;
    super('PLACEHOLDER_UNRESOLVED', `cannot resolve ${placeholder}${where}: ${reason}`);
  }
}

/** A command or args entry does not parse (malformed placeholder, bad IfPresent/Concat JSON). */
export class InvalidArgumentError extends SluiceError {
  constructor(
    readonly argument: string,
    reason: string,
  ) {
    super('ARGUMENT_INVALID', `invalid argument ${quote(argument)}: ${reason}`);
  }
}

/** A declared output parameter is missing or its value does not fit its declared type. */
export class OutputParameterError extends SluiceError {
  constructor(
    code: 'OUTPUT_PARAMETER_MISSING' | 'OUTPUT_PARAMETER_INVALID' | 'EXECUTOR_OUTPUT_INVALID',
    readonly outputName: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** The module of a function component cannot be loaded, or its export is not a component. */
export class FunctionLoadError extends SluiceError {
  constructor(
    readonly module: string,
    readonly exportName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('FUNCTION_NOT_LOADED', message, options);
  }
}

function quote(text: string): string {
  const clipped = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return JSON.stringify(clipped);
}
