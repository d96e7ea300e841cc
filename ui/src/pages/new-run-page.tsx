/**
 * Start a run of an uploaded pipeline version: pick the version, fill a form generated from the
 * pipeline's root input definitions (KFP IR), and submit.
 */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiRequestError, api, post } from '../lib/api.ts';
import type { Json, Pipeline, PipelineVersion, PipelineVersionDetail, Run } from '../lib/api-types.ts';
import { when } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { useApi } from '../lib/use-api.ts';

export function NewRunPage({ versionId }: { versionId?: string }) {
  return (
    <div className="page new-run-page">
      <h1>New run</h1>
      {versionId ? <VersionForm key={versionId} versionId={versionId} /> : <VersionPicker />}
    </div>
  );
}

// ---- picking a version ---------------------------------------------------------------------------------

function VersionPicker() {
  const pipelines = useApi<{ pipelines: Pipeline[] }>('/pipelines');
  const [pipelineId, setPipelineId] = useState('');
  const versions = useApi<{ versions: PipelineVersion[] }>(
    pipelineId ? `/pipelines/${encodeURIComponent(pipelineId)}/versions` : null,
  );
  if (pipelines.error) return <p className="error">{pipelines.error.message}</p>;
  if (!pipelines.data) return <p className="muted">Loading pipelines…</p>;
  if (pipelines.data.pipelines.length === 0)
    return (
      <p className="empty">
        No pipelines uploaded yet. <a href={href(['pipelines'])}>Upload one</a> first.
      </p>
    );
  return (
    <div data-testid="version-picker">
      <div className="toolbar">
        <label htmlFor="pick-pipeline">Pipeline</label>
        <select id="pick-pipeline" value={pipelineId} onChange={(event) => setPipelineId(event.target.value)}>
          <option value="">choose a pipeline…</option>
          {pipelines.data.pipelines.map((pipeline) => (
            <option key={pipeline.pipelineId} value={pipeline.pipelineId}>
              {pipeline.name}
            </option>
          ))}
        </select>
      </div>
      {versions.error && <p className="error">{versions.error.message}</p>}
      {pipelineId && versions.data && (
        <ul className="version-choices">
          {versions.data.versions.map((version) => (
            <li key={version.pipelineVersionId}>
              <a href={href(['new'], { version: version.pipelineVersionId })}>{version.name}</a>{' '}
              <span className="muted">{when(version.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The detail route needs the pipeline id, and a `#/new?version=` link has only the version's: look for
 * it among the pipelines' version lists (a laptop store has few pipelines).
 */
async function findVersion(versionId: string): Promise<PipelineVersionDetail> {
  const { pipelines } = await api<{ pipelines: Pipeline[] }>('/pipelines');
  for (const pipeline of pipelines) {
    const { versions } = await api<{ versions: PipelineVersion[] }>(
      `/pipelines/${encodeURIComponent(pipeline.pipelineId)}/versions`,
    );
    if (versions.some((version) => version.pipelineVersionId === versionId))
      return api<PipelineVersionDetail>(
        `/pipelines/${encodeURIComponent(pipeline.pipelineId)}/versions/${encodeURIComponent(versionId)}`,
      );
  }
  throw new Error(`no pipeline version '${versionId}' in this store`);
}

// ---- the parameter form --------------------------------------------------------------------------------

type ParameterType = 'STRING' | 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'BOOLEAN' | 'LIST' | 'STRUCT';

interface ParameterField {
  name: string;
  type: ParameterType;
  defaultValue: Json | undefined;
  required: boolean;
  description: string | undefined;
}

/** Pre-KFP-2 documents name the types differently; read them the same way. */
const LEGACY_TYPES: Record<string, ParameterType> = { INT: 'NUMBER_INTEGER', DOUBLE: 'NUMBER_DOUBLE' };

const isRecord = (value: Json | undefined): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parameterFields(spec: Record<string, Json>): ParameterField[] {
  const root = spec.root;
  const inputs = isRecord(root) ? root.inputDefinitions : undefined;
  const parameters = isRecord(inputs) ? inputs.parameters : undefined;
  if (!isRecord(parameters)) return [];
  return Object.entries(parameters).map(([name, definition]) => {
    const raw = isRecord(definition) ? (definition.parameterType ?? definition.type) : undefined;
    const text = typeof raw === 'string' ? raw : 'STRING';
    const type = (LEGACY_TYPES[text] ?? text) as ParameterType;
    const defaultValue = isRecord(definition) ? definition.defaultValue : undefined;
    const optional = isRecord(definition) && definition.isOptional === true;
    const description = isRecord(definition) ? definition.description : undefined;
    return {
      name,
      type,
      defaultValue,
      required: defaultValue === undefined && !optional,
      description: typeof description === 'string' ? description : undefined,
    };
  });
}

/** What the input shows: text for everything but checkboxes, JSON for lists and structs. */
function initialValue(field: ParameterField): string | boolean {
  const value = field.defaultValue;
  if (field.type === 'BOOLEAN') return value === true;
  if (value === undefined || value === null) return '';
  if (field.type === 'LIST' || field.type === 'STRUCT') return JSON.stringify(value, null, 2);
  return String(value);
}

type Parsed = { ok: true; value: Json } | { ok: true; omit: true } | { ok: false; error: string };

function parseValue(field: ParameterField, input: string | boolean): Parsed {
  if (field.type === 'BOOLEAN') return { ok: true, value: input === true };
  const text = String(input);
  // Left empty: an optional parameter falls back to the pipeline's default (or none).
  if (text.trim() === '' && field.type !== 'STRING') {
    return field.required ? { ok: false, error: 'required' } : { ok: true, omit: true };
  }
  if (text === '' && field.type === 'STRING' && !field.required && field.defaultValue === undefined)
    return { ok: true, omit: true };
  switch (field.type) {
    case 'NUMBER_INTEGER': {
      const value = Number(text);
      return Number.isInteger(value) ? { ok: true, value } : { ok: false, error: 'must be a whole number' };
    }
    case 'NUMBER_DOUBLE': {
      const value = Number(text);
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, error: 'must be a number' };
    }
    case 'LIST':
    case 'STRUCT': {
      let value: Json;
      try {
        value = JSON.parse(text) as Json;
      } catch (error) {
        return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
      }
      if (field.type === 'LIST' && !Array.isArray(value))
        return { ok: false, error: 'must be a JSON list [ … ]' };
      if (field.type === 'STRUCT' && !isRecord(value))
        return { ok: false, error: 'must be a JSON object { … }' };
      return { ok: true, value };
    }
    default:
      return { ok: true, value: text };
  }
}

function VersionForm({ versionId }: { versionId: string }) {
  const [version, setVersion] = useState<PipelineVersionDetail>();
  const [loadError, setLoadError] = useState<Error>();
  useEffect(() => {
    let live = true;
    findVersion(versionId).then(
      (detail) => live && setVersion(detail),
      (reason: Error) => live && setLoadError(reason),
    );
    return () => {
      live = false;
    };
  }, [versionId]);
  if (loadError)
    return (
      <>
        <p className="error">{loadError.message}</p>
        <p>
          <a href={href(['new'])}>Pick another version</a>
        </p>
      </>
    );
  if (!version) return <p className="muted">Loading the pipeline version…</p>;
  return <RunForm version={version} />;
}

function RunForm({ version }: { version: PipelineVersionDetail }) {
  const fields = useMemo(() => parameterFields(version.pipelineSpec), [version]);
  const [values, setValues] = useState(() =>
    Object.fromEntries(fields.map((field) => [field.name, initialValue(field)])),
  );
  const [displayName, setDisplayName] = useState('');
  /** Messages by request field (`parameters.epochs`, `displayName`); the rest go on top. */
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parameters: Record<string, Json> = {};
    const found: Record<string, string> = {};
    for (const field of fields) {
      const parsed = parseValue(field, values[field.name] ?? '');
      if (!parsed.ok) found[`parameters.${field.name}`] = parsed.error;
      else if ('value' in parsed) parameters[field.name] = parsed.value;
    }
    setErrors(found);
    setFormError(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const run = await post<Run>('/runs', {
        pipelineVersionId: version.pipelineVersionId,
        parameters,
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
      });
      navigate(['runs', run.runId]);
    } catch (error) {
      const message = (error as Error).message;
      const field = error instanceof ApiRequestError ? error.field : undefined;
      const known = field === 'displayName' || fields.some((item) => `parameters.${item.name}` === field);
      if (field && known) setErrors({ [field]: message });
      else setFormError(message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="run-form" onSubmit={submit} data-testid="run-form" noValidate>
      <p>
        <strong>{version.pipeline}</strong> version <strong>{version.name}</strong>{' '}
        <a
          className="muted"
          href={href(['pipelines', version.pipelineId], { version: version.pipelineVersionId })}
        >
          (graph)
        </a>{' '}
        <a className="muted" href={href(['new'])}>
          change
        </a>
      </p>
      {formError && (
        <p className="error" data-testid="run-form-error">
          {formError}
        </p>
      )}
      <div className="form-field">
        <label htmlFor="run-display-name">Display name</label>
        <input
          id="run-display-name"
          value={displayName}
          placeholder="optional"
          onChange={(event) => setDisplayName(event.target.value)}
        />
        <FieldError message={errors.displayName} />
      </div>
      <h2>Parameters</h2>
      {fields.length === 0 && <p className="muted">This pipeline takes no parameters.</p>}
      {fields.map((field) => (
        <ParameterInput
          key={field.name}
          field={field}
          value={values[field.name] ?? ''}
          error={errors[`parameters.${field.name}`]}
          onChange={(value) => setValues((previous) => ({ ...previous, [field.name]: value }))}
        />
      ))}
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </form>
  );
}

const TYPE_LABELS: Record<ParameterType, string> = {
  STRING: 'string',
  NUMBER_INTEGER: 'integer',
  NUMBER_DOUBLE: 'number',
  BOOLEAN: 'boolean',
  LIST: 'JSON list',
  STRUCT: 'JSON object',
};

function ParameterInput({
  field,
  value,
  error,
  onChange,
}: {
  field: ParameterField;
  value: string | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const id = `param-${field.name}`;
  const common = { id, name: field.name, 'aria-invalid': error ? true : undefined };
  return (
    <div className={`form-field${error ? ' invalid' : ''}`} data-testid={`param-field-${field.name}`}>
      <label htmlFor={id}>
        <span className="mono">{field.name}</span>
        {field.required && (
          <span className="required" title="required">
            {' '}
            *
          </span>
        )}{' '}
        <span className="muted">{TYPE_LABELS[field.type] ?? field.type}</span>
      </label>
      {field.type === 'BOOLEAN' ? (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onChange(event.target.checked)}
        />
      ) : field.type === 'LIST' || field.type === 'STRUCT' ? (
        <textarea
          {...common}
          className="mono"
          rows={4}
          value={String(value)}
          placeholder={field.type === 'LIST' ? '[ ]' : '{ }'}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          {...common}
          type={field.type === 'STRING' ? 'text' : 'number'}
          step={field.type === 'NUMBER_INTEGER' ? 1 : 'any'}
          value={String(value)}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {field.description && <div className="muted field-help">{field.description}</div>}
      <FieldError message={error} />
    </div>
  );
}

function FieldError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="field-error" role="alert" data-testid="field-error">
      {message}
    </div>
  );
}
