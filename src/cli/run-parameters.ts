import { ParameterTypeError, parseParameterText, RunInputError } from '../engine/index.ts';
import type { JsonValue, PipelineDocument } from '../ir/index.ts';

/** `--param name=value` texts as values of the pipeline inputs' declared types. */
export function parseRunParameters(
  document: PipelineDocument,
  texts: ReadonlyArray<string>,
): Record<string, JsonValue> {
  const definitions = document.pipelineSpec.root?.inputDefinitions?.parameters ?? {};
  const values: Record<string, JsonValue> = {};
  for (const text of texts) {
    const separator = text.indexOf('=');
    if (separator <= 0) throw new RunInputError(`--param '${text}' must look like name=value`);
    const name = text.slice(0, separator);
    const raw = text.slice(separator + 1);
    try {
      values[name] = parseParameterText(raw, definitions[name]?.parameterType, `parameter '${name}'`);
    } catch (error) {
      if (error instanceof ParameterTypeError) throw new RunInputError(error.message);
      throw error;
    }
  }
  return values;
}
