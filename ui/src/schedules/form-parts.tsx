/**
 * What the schedule and trigger forms share: a labelled field that shows the server's error next to it (and
 * which field a refused request names), the pipeline-and-version picker (a pinned version or "latest"), and
 * the parameters box's JSON check.
 */
import type { ReactNode } from 'react';
import { ApiRequestError } from '../lib/api.ts';
import type { Json, Pipeline, PipelineVersion } from '../lib/api-types.ts';
import { useApi } from '../lib/use-api.ts';

/** The version picker's value for "the pipeline's newest version at each run". */
export const LATEST = '';

export function FormField({
  id,
  fieldKey,
  label,
  error,
  help,
  children,
}: {
  id: string;
  fieldKey: string;
  label: string;
  error?: string | undefined;
  help?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={`form-field${error ? ' invalid' : ''}`} data-field={fieldKey}>
      <label htmlFor={id}>{label}</label>
      {children}
      {help && <span className="field-help">{help}</span>}
      {error && (
        <span className="field-error" data-testid="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

export function PipelinePick({
  idPrefix,
  pipelineId,
  versionId,
  onPipeline,
  onVersion,
}: {
  idPrefix: string;
  pipelineId: string;
  versionId: string;
  onPipeline: (pipelineId: string) => void;
  onVersion: (versionId: string) => void;
}) {
  const pipelines = useApi<{ pipelines: Pipeline[] }>('/pipelines');
  const versions = useApi<{ versions: PipelineVersion[] }>(
    pipelineId ? `/pipelines/${encodeURIComponent(pipelineId)}/versions` : null,
  );
  return (
    <span className="schedule-pipeline-pick">
      <select
        id={`${idPrefix}-pipelineVersionId`}
        value={pipelineId}
        onChange={(event) => {
          onPipeline(event.target.value);
          onVersion(LATEST);
        }}
      >
        <option value="">choose a pipeline…</option>
        {pipelines.data?.pipelines.map((pipeline) => (
          <option key={pipeline.pipelineId} value={pipeline.pipelineId}>
            {pipeline.name}
          </option>
        ))}
      </select>{' '}
      <select
        id={`${idPrefix}-version`}
        aria-label="version"
        value={versionId}
        disabled={!pipelineId}
        onChange={(event) => onVersion(event.target.value)}
      >
        <option value={LATEST}>latest (newest version at each run)</option>
        {versions.data?.versions.map((version) => (
          <option key={version.pipelineVersionId} value={version.pipelineVersionId}>
            {version.name}
          </option>
        ))}
      </select>
      {pipelines.error && <span className="field-error">{pipelines.error.message}</span>}
    </span>
  );
}

/** The parameters box as a JSON object ({} when empty), or why it is not one. */
export function parseParameters(text: string): { value: Json; error?: string } {
  if (!text.trim()) return { value: {} };
  try {
    const value = JSON.parse(text) as Json;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { value: {}, error: 'parameters must be a JSON object, e.g. {"text": "hi"}' };
    return { value };
  } catch (reason) {
    return { value: {}, error: `not JSON: ${(reason as Error).message}` };
  }
}

/**
 * A failed request as the form's errors: under the field its error names (the first segment of the
 * field's path, through `aliases` when the form shows it under another name), or under `form`.
 */
export function requestErrors(
  reason: unknown,
  fields: ReadonlySet<string>,
  aliases: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const error = reason as Error;
  const first = error instanceof ApiRequestError ? ((error.field ?? '').split('.')[0] ?? '') : '';
  const key = aliases[first] ?? first;
  return { [fields.has(key) ? key : 'form']: error.message };
}
