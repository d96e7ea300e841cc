/**
 * The value of one parsed placeholder for one ExecutorInput (KFP-NOTES §1.5). Anything the placeholder
 * names but the input does not hold is an error with a reason, never an empty string: an empty argument
 * is a silent wrong answer, a refused task is a clear one.
 */
import { fileURLToPath } from 'node:url';
import { closestName, type JsonValue, type Placeholder, type RunValueName } from '../ir/index.ts';
import type { ExecutorInput, RuntimeArtifact } from './executor-input.ts';
import { formatParameterValue } from './parameter-text.ts';

/** What placeholders resolve against. */
export interface PlaceholderContext {
  executorInput: ExecutorInput;
  /** `pipeline_job_name`, `pipeline_job_uuid`, `pipeline_task_name`, `pipeline_root`, … */
  runValues: Readonly<Record<string, string>>;
}

/**
 * Vertex AI values that KFP's own backend leaves as literal text; a Google component's default argument
 * may hold them, so a missing value keeps the text instead of failing the task.
 */
const VERTEX_ONLY: ReadonlySet<RunValueName> = new Set([
  'pipeline_google_cloud_project_id',
  'pipeline_google_cloud_location',
  'pipeline_persistent_resource_id',
]);

export type PlaceholderValue = { value: string } | { error: string };

export function placeholderValue(
  placeholder: Placeholder,
  raw: string,
  context: PlaceholderContext,
): PlaceholderValue {
  const result = unescapedValue(placeholder, raw, context);
  if ('error' in result || placeholder.jsonEscape === undefined) return result;
  return { value: jsonEscape(result.value, placeholder.jsonEscape) };
}

/** `.json_escape[N]`: the value escaped N times for embedding inside a JSON string. */
export function jsonEscape(text: string, times: number): string {
  let escaped = text;
  for (let i = 0; i < times; i++) escaped = JSON.stringify(escaped).slice(1, -1);
  return escaped;
}

function unescapedValue(p: Placeholder, raw: string, context: PlaceholderContext): PlaceholderValue {
  const { inputs, outputs } = context.executorInput;
  switch (p.kind) {
    case 'EXECUTOR_INPUT':
      return { value: JSON.stringify(context.executorInput) };
    case 'INPUT_PARAMETER': {
      const value = inputs.parameterValues[p.name];
      if (value === undefined || value === null) {
        return missing('input parameter', p.name, Object.keys(inputs.parameterValues), value === null);
      }
      return { value: formatParameterValue(value) };
    }
    case 'OUTPUT_PARAMETER_FILE': {
      const output = outputs.parameters[p.name];
      if (!output) return missing('output parameter', p.name, Object.keys(outputs.parameters));
      return { value: output.outputFile };
    }
    case 'INPUT_ARTIFACT':
    case 'OUTPUT_ARTIFACT': {
      const side = p.kind === 'INPUT_ARTIFACT' ? inputs.artifacts : outputs.artifacts;
      const what = p.kind === 'INPUT_ARTIFACT' ? 'input artifact' : 'output artifact';
      const entry = side[p.name];
      if (!entry) return missing(what, p.name, Object.keys(side));
      return artifactValue(p, raw, entry.artifacts);
    }
    case 'EXECUTOR_OUTPUT_FILE':
      return { value: outputs.outputFile };
    case 'RUN_VALUE': {
      const value = context.runValues[p.name];
      if (value !== undefined) return { value };
      if (VERTEX_ONLY.has(p.name)) return { value: raw };
      return { error: `the run provides no '${p.name}'` };
    }
  }
}

function artifactValue(
  p: Placeholder & { kind: 'INPUT_ARTIFACT' | 'OUTPUT_ARTIFACT' },
  raw: string,
  artifacts: RuntimeArtifact[],
): PlaceholderValue {
  if (p.property === undefined) return { value: JSON.stringify(artifacts) };
  if (artifacts.length !== 1) {
    const list = raw.replace(/\.(uri|path|metadata).*?(\.json_escape\[\d+\])?}}$/, '$2}}');
    return {
      error: `'${p.name}' holds ${artifacts.length} artifacts, not one; ${list} gives the list as JSON`,
    };
  }
  const artifact = artifacts[0]!;
  switch (p.property) {
    case 'uri':
      return { value: artifact.uri };
    case 'path': {
      const path = localPathOf(artifact);
      if (path === undefined) {
        return { error: `artifact '${p.name}' (${artifact.uri}) has no local path on this machine` };
      }
      return { value: path };
    }
    case 'metadata': {
      if (p.metadataKey === undefined) return { value: JSON.stringify(artifact.metadata ?? {}) };
      const value: JsonValue | undefined = artifact.metadata?.[p.metadataKey];
      if (value === undefined) {
        const keys = Object.keys(artifact.metadata ?? {});
        const known = keys.length === 0 ? 'it has none' : `it has ${keys.map((k) => `'${k}'`).join(', ')}`;
        return { error: `artifact '${p.name}' has no metadata key '${p.metadataKey}'; ${known}` };
      }
      return { value: formatParameterValue(value) };
    }
  }
}

/** The artifact's `.path`: set by the engine, or derived from a `file://` URI. */
export function localPathOf(artifact: Pick<RuntimeArtifact, 'uri' | 'path'>): string | undefined {
  if (artifact.path) return artifact.path;
  if (artifact.uri.startsWith('file:')) return fileURLToPath(artifact.uri);
  if (artifact.uri.startsWith('/')) return artifact.uri;
  return undefined;
}

function missing(what: string, name: string, known: string[], isNull = false): PlaceholderValue {
  const optional = what.startsWith('input') ? '; if it is optional, wrap the argument in IfPresent' : '';
  if (isNull) return { error: `${what} '${name}' is null (not provided)${optional}` };
  const match = closestName(name, known);
  const hint = match === undefined ? '' : ` (did you mean '${match}'?)`;
  const list =
    known.length === 0
      ? `the task has no ${what}s`
      : `the task's ${what}s: ${known.map((k) => `'${k}'`).join(', ')}`;
  return { error: `no ${what} '${name}'${hint}; ${list}${optional}` };
}
