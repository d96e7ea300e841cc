/**
 * The form for a new trigger: a watched directory (each new or changed file starts a run with its path in
 * a pipeline parameter) or a webhook. A 400 from the server is shown next to the field it names; a
 * webhook's secret comes back once, and the page shows it once (TriggerCreated).
 */
import { type FormEvent, useState } from 'react';
import { getToken, post } from '../lib/api.ts';
import type { Json, Trigger } from '../lib/api-types.ts';
import { FormField, LATEST, PipelinePick, parseParameters, requestErrors } from './form-parts.tsx';

export interface CreatedTrigger {
  trigger: Trigger;
  secret?: string;
}

const FIELDS = new Set(['name', 'pipelineVersionId', 'directory', 'parameterName', 'parameters']);

export function TriggerForm({
  onCreated,
  onCancel,
}: {
  onCreated: (created: CreatedTrigger) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'watch' | 'webhook'>('watch');
  const [pipelineId, setPipelineId] = useState('');
  const [versionId, setVersionId] = useState(LATEST);
  const [directory, setDirectory] = useState('');
  const [parameterName, setParameterName] = useState('');
  const [parameters, setParameters] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const { value: parsed, error: parametersError } = parseParameters(parameters);
    if (parametersError) found.parameters = parametersError;
    if (!pipelineId) found.pipelineVersionId = 'choose a pipeline';
    if (kind === 'watch' && !directory.trim()) found.directory = 'the directory to watch (an absolute path)';
    if (kind === 'watch' && !parameterName.trim())
      found.parameterName = "the pipeline parameter that gets the new file's path";
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body: Record<string, Json> = {
      name: name.trim(),
      kind,
      ...(versionId === LATEST ? { pipelineId } : { pipelineVersionId: versionId }),
      ...(kind === 'watch' ? { directory: directory.trim(), parameterName: parameterName.trim() } : {}),
      parameters: parsed,
    };
    setBusy(true);
    try {
      onCreated(await post<CreatedTrigger>('/triggers', body));
    } catch (reason) {
      setErrors(requestErrors(reason, FIELDS, { pipelineId: 'pipelineVersionId' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="run-form schedule-form card" data-testid="trigger-form" onSubmit={submit}>
      <FormField id="trigger-name" fieldKey="name" label="Name" error={errors.name}>
        <input
          id="trigger-name"
          value={name}
          required
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
        />
      </FormField>
      <FormField
        id="trigger-pipelineVersionId"
        fieldKey="pipelineVersionId"
        label="Pipeline"
        error={errors.pipelineVersionId}
      >
        <PipelinePick
          idPrefix="trigger"
          pipelineId={pipelineId}
          versionId={versionId}
          onPipeline={setPipelineId}
          onVersion={setVersionId}
        />
      </FormField>
      <div className="form-field">
        <span>Fires on</span>
        <span className="schedule-kind">
          <label>
            <input
              type="radio"
              name="trigger-kind"
              checked={kind === 'watch'}
              data-testid="trigger-kind-watch"
              onChange={() => setKind('watch')}
            />{' '}
            new or changed files in a directory
          </label>{' '}
          <label>
            <input
              type="radio"
              name="trigger-kind"
              checked={kind === 'webhook'}
              data-testid="trigger-kind-webhook"
              onChange={() => setKind('webhook')}
            />{' '}
            a webhook call
          </label>
        </span>
      </div>
      {kind === 'watch' && (
        <>
          <FormField
            id="trigger-directory"
            fieldKey="directory"
            label="Directory"
            error={errors.directory}
            help="on the server's machine; files still being written (.part, .tmp, hidden) wait"
          >
            <input
              id="trigger-directory"
              value={directory}
              placeholder="/data/incoming"
              onChange={(event) => setDirectory(event.target.value)}
            />
          </FormField>
          <FormField
            id="trigger-parameterName"
            fieldKey="parameterName"
            label="Parameter for the file's path"
            error={errors.parameterName}
          >
            <input
              id="trigger-parameterName"
              value={parameterName}
              placeholder="path"
              onChange={(event) => setParameterName(event.target.value)}
            />
          </FormField>
        </>
      )}
      <FormField
        id="trigger-parameters"
        fieldKey="parameters"
        label="Other parameters (JSON)"
        error={errors.parameters}
      >
        <textarea
          id="trigger-parameters"
          rows={3}
          value={parameters}
          placeholder='{"epochs": 5}'
          onChange={(event) => setParameters(event.target.value)}
        />
      </FormField>
      {errors.form && <p className="error">{errors.form}</p>}
      <div className="toolbar">
        <button type="submit" disabled={busy}>
          Create trigger
        </button>
        <button type="button" className="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Shown once after a trigger is created: for a webhook, its secret and how to call it. */
export function TriggerCreated({ created, onDone }: { created: CreatedTrigger; onDone: () => void }) {
  const { trigger, secret } = created;
  const url = `${window.location.origin}${trigger.fireUrl ?? ''}`;
  // The server asks for its API token too when it has one (the token itself is not printed here).
  const auth = getToken() === null ? '' : `  -H 'Authorization: Bearer <the API token>' \\\n`;
  return (
    <div className="card" data-testid="trigger-created">
      <p>
        Created trigger <strong>{trigger.name}</strong>.
      </p>
      {secret !== undefined && (
        <>
          <p>
            Its secret is shown <strong>only now</strong>; callers send it in the{' '}
            <code>X-Sluice-Trigger-Secret</code> header:
          </p>
          <pre data-testid="trigger-secret">{secret}</pre>
          <pre>{`curl -X POST ${url} \\\n${auth}  -H 'X-Sluice-Trigger-Secret: ${secret}' \\\n  -H 'Idempotency-Key: <a key per event>' \\\n  -H 'Content-Type: application/json' -d '{"parameters": {}}'`}</pre>
        </>
      )}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
