/**
 * The form for a new recurring run and for editing one in place: pipeline (a pinned version or "latest"),
 * cron or interval, time zone, catch-up, max concurrency and parameters. A 400 from the server is shown
 * next to the field it names.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import type { Json, RecurringRun } from '../lib/api-types.ts';
import { FormField, LATEST, PipelinePick, parseParameters, requestErrors } from './form-parts.tsx';

export type ScheduleBody = Record<string, Json>;

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Request fields the form shows under another of its fields. */
const ALIASES = {
  pipelineId: 'pipelineVersionId',
  everySeconds: 'intervalSeconds',
  startAt: 'intervalSeconds',
};

export function ScheduleForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: RecurringRun;
  submitLabel: string;
  onSubmit: (body: ScheduleBody) => Promise<void>;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [pipelineId, setPipelineId] = useState(initial?.pipelineId ?? '');
  const [versionId, setVersionId] = useState(initial?.pipelineVersionId ?? LATEST);
  const [kind, setKind] = useState<'cron' | 'interval'>(initial?.intervalSeconds ? 'interval' : 'cron');
  const [cron, setCron] = useState(initial?.cron ?? '0 2 * * *');
  const [interval, setIntervalText] = useState(String(initial?.intervalSeconds ?? 3600));
  const [timeZone, setTimeZone] = useState(initial?.timeZone ?? browserZone());
  const [catchUp, setCatchUp] = useState<string>(initial?.catchUp ?? 'skip');
  const [maxConcurrency, setMaxConcurrency] = useState(String(initial?.maxConcurrency ?? 1));
  const [parameters, setParameters] = useState(
    initial && Object.keys(initial.parameters).length > 0 ? JSON.stringify(initial.parameters, null, 2) : '',
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const { value: parsed, error: parametersError } = parseParameters(parameters);
    if (parametersError) found.parameters = parametersError;
    if (!pipelineId) found.pipelineVersionId = 'choose a pipeline';
    const seconds = Number(interval);
    if (kind === 'interval' && !(Number.isInteger(seconds) && seconds >= 1))
      found.intervalSeconds = 'a whole number of seconds, 1 or more';
    const concurrency = Number(maxConcurrency);
    if (!(Number.isInteger(concurrency) && concurrency >= 1))
      found.maxConcurrency = 'a whole number, 1 or more';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body: ScheduleBody = {
      name: name.trim(),
      ...(versionId === LATEST
        ? initial
          ? { pipelineId, pipelineVersionId: null }
          : { pipelineId }
        : { pipelineVersionId: versionId }),
      ...(kind === 'cron' ? { cron: cron.trim(), timeZone: timeZone.trim() } : { intervalSeconds: seconds }),
      catchUp,
      maxConcurrency: concurrency,
      parameters: parsed,
    };
    setBusy(true);
    try {
      await onSubmit(body);
    } catch (reason) {
      setErrors(requestErrors(reason, FIELDS, ALIASES));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: string, label: string, control: ReactNode, help?: string) => (
    <FormField key={key} id={`schedule-${key}`} fieldKey={key} label={label} error={errors[key]} help={help}>
      {control}
    </FormField>
  );

  return (
    <form className="run-form schedule-form card" data-testid="schedule-form" onSubmit={submit}>
      {field(
        'name',
        'Name',
        <input
          id="schedule-name"
          value={name}
          required
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
        />,
      )}
      {field(
        'pipelineVersionId',
        'Pipeline',
        <PipelinePick
          idPrefix="schedule"
          pipelineId={pipelineId}
          versionId={versionId}
          onPipeline={setPipelineId}
          onVersion={setVersionId}
        />,
      )}
      <div className="form-field">
        <span>Timing</span>
        <span className="schedule-kind">
          <label>
            <input
              type="radio"
              name="schedule-kind"
              value="cron"
              checked={kind === 'cron'}
              onChange={() => setKind('cron')}
            />{' '}
            cron
          </label>{' '}
          <label>
            <input
              type="radio"
              name="schedule-kind"
              value="interval"
              data-testid="kind-interval"
              checked={kind === 'interval'}
              onChange={() => setKind('interval')}
            />{' '}
            every N seconds
          </label>
        </span>
      </div>
      {kind === 'cron'
        ? [
            field(
              'cron',
              'Cron expression',
              <input id="schedule-cron" value={cron} onChange={(event) => setCron(event.target.value)} />,
              '5 fields (minute hour day month weekday) or 6 with seconds first, e.g. 0 2 * * 1',
            ),
            field(
              'timeZone',
              'Time zone',
              <input
                id="schedule-timeZone"
                value={timeZone}
                onChange={(event) => setTimeZone(event.target.value)}
              />,
              'IANA name, e.g. Europe/Paris',
            ),
          ]
        : field(
            'intervalSeconds',
            'Every (seconds)',
            <input
              id="schedule-intervalSeconds"
              type="number"
              min={1}
              value={interval}
              onChange={(event) => setIntervalText(event.target.value)}
            />,
          )}
      {field(
        'catchUp',
        'Catch up after downtime',
        <select id="schedule-catchUp" value={catchUp} onChange={(event) => setCatchUp(event.target.value)}>
          <option value="skip">skip — no missed runs</option>
          <option value="latest">latest — one run for the missed slots</option>
          <option value="all">all — every missed slot</option>
        </select>,
      )}
      {field(
        'maxConcurrency',
        'Max concurrent runs',
        <input
          id="schedule-maxConcurrency"
          type="number"
          min={1}
          max={1000}
          value={maxConcurrency}
          onChange={(event) => setMaxConcurrency(event.target.value)}
        />,
      )}
      {field(
        'parameters',
        'Parameters (JSON)',
        <textarea
          id="schedule-parameters"
          rows={3}
          value={parameters}
          placeholder='{"text": "hello"}'
          onChange={(event) => setParameters(event.target.value)}
        />,
      )}
      {errors.form && <p className="error">{errors.form}</p>}
      <div className="toolbar">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="link" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

const FIELDS = new Set([
  'name',
  'pipelineVersionId',
  'cron',
  'timeZone',
  'intervalSeconds',
  'catchUp',
  'maxConcurrency',
  'parameters',
]);
