/**
 * What a finished program produced, read the way KFP's launcher reads it (KFP-NOTES §1.7): the
 * ExecutorOutput file if the program wrote one (its parameterValues win), then each remaining declared
 * output parameter's file, parsed by its declared type; artifact metadata from the ExecutorOutput merged
 * over what the ExecutorInput declared. Run only after the process exited 0.
 */
import { readFile } from 'node:fs/promises';
import type { JsonValue } from '../ir/index.ts';
import type { ExecutorInput, ExecutorOutput } from './executor-input.ts';
import { checkParameterValue, parseParameterText } from './parameter-text.ts';
import { OutputParameterError } from './runtime-errors.ts';

export interface CollectedOutputs {
  parameters: Record<string, JsonValue>;
  /** Every declared output artifact, with its metadata after the program ran. */
  artifacts: Record<string, { metadata: Record<string, JsonValue> }>;
}

/**
 * @param outputParameterTypes declared type per output parameter (`NUMBER_INTEGER`, `LIST`, …); an output
 *   without one is read as STRING.
 * @throws OutputParameterError naming the output that is missing or does not fit its type.
 */
export async function collectOutputs(
  executorInput: ExecutorInput,
  outputParameterTypes: Readonly<Record<string, string>>,
): Promise<CollectedOutputs> {
  const { outputs } = executorInput;
  const executorOutput = await readExecutorOutput(outputs.outputFile);
  const written = executorOutput.parameterValues ?? {};
  const entries = await Promise.all(
    Object.entries(outputs.parameters).map(async ([name, { outputFile }]) => {
      const type = outputParameterTypes[name] ?? 'STRING';
      if (Object.hasOwn(written, name)) {
        const checked = checkParameterValue(type, written[name]!);
        if ('error' in checked) throw invalid(name, `in ${outputs.outputFile}`, checked.error);
        return [name, checked.value] as const;
      }
      const text = await readOutputFile(name, outputFile);
      const parsed = parseParameterText(type, text);
      if ('error' in parsed) throw invalid(name, `in ${outputFile}`, parsed.error);
      return [name, parsed.value] as const;
    }),
  );
  const artifacts: CollectedOutputs['artifacts'] = {};
  for (const [name, declared] of Object.entries(outputs.artifacts)) {
    const returned = executorOutput.artifacts?.[name]?.artifacts?.[0]?.metadata;
    artifacts[name] = { metadata: { ...(declared.artifacts[0]?.metadata ?? {}), ...(returned ?? {}) } };
  }
  return { parameters: Object.fromEntries(entries), artifacts };
}

/** The ExecutorOutput file; absent (or no path) means an empty one, as in KFP. */
export async function readExecutorOutput(path: string): Promise<ExecutorOutput> {
  if (!path) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OutputParameterError(
      'EXECUTOR_OUTPUT_INVALID',
      '',
      `the ExecutorOutput file ${path} is not JSON (${(error as Error).message}); write {"parameterValues": {…}, "artifacts": {…}} or nothing`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OutputParameterError(
      'EXECUTOR_OUTPUT_INVALID',
      '',
      `the ExecutorOutput file ${path} must hold a JSON object such as {"parameterValues": {…}}`,
    );
  }
  return parsed as ExecutorOutput;
}

async function readOutputFile(name: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new OutputParameterError(
      'OUTPUT_PARAMETER_MISSING',
      name,
      `output parameter '${name}' was not written: the program must write its value to ${path} ({{$.outputs.parameters['${name}'].output_file}}) or put it in the ExecutorOutput file`,
    );
  }
}

function invalid(name: string, where: string, reason: string): OutputParameterError {
  return new OutputParameterError(
    'OUTPUT_PARAMETER_INVALID',
    name,
    `output parameter '${name}' ${where}: ${reason}`,
  );
}
