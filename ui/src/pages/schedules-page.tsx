/**
 * Recurring runs and triggers: the list with each schedule's next fire times in words, pause/resume and a
 * form for a new one; a schedule's page with its settings (edited in place), its next 5 fire times and the
 * history of the runs it started; and the triggers (watched directories and webhooks) with recent events.
 */
import { type CSSProperties, useEffect, useState } from 'react';
import { api, del, patch, post } from '../lib/api.ts';
import type {
  Pipeline,
  PipelineVersion,
  RecurringRun,
  RecurringRunSlot,
  RunListItem,
  Trigger,
  TriggerEvent,
} from '../lib/api-types.ts';
import { duration, relativeTime, shortId, when } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { stateColor } from '../lib/states.ts';
import { useApi } from '../lib/use-api.ts';
import { type ScheduleBody, ScheduleForm } from '../schedules/schedule-form.tsx';
import { type CreatedTrigger, TriggerCreated, TriggerForm } from '../schedules/trigger-form.tsx';

const REFRESH_MS = 3000;
const HISTORY_DETAILS = 25;

export function SchedulesPage({ scheduleId }: { scheduleId?: string }) {
  return scheduleId ? <ScheduleDetails key={scheduleId} scheduleId={scheduleId} /> : <ScheduleList />;
}

/** Calls `reload` every `ms` while the page is open. */
function useRefresh(reload: () => void, ms = REFRESH_MS) {
  useEffect(() => {
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [reload, ms]);
}

/** Pipeline names and version names by id, for showing what a schedule runs. */
function usePipelineNames(): { pipelines: Map<string, string>; versions: Map<string, string> } {
  const [names, setNames] = useState({
    pipelines: new Map<string, string>(),
    versions: new Map<string, string>(),
  });
  useEffect(() => {
    let live = true;
    (async () => {
      const { pipelines } = await api<{ pipelines: Pipeline[] }>('/pipelines');
      const versions = new Map<string, string>();
      await Promise.all(
        pipelines.map(async (pipeline) => {
          const page = await api<{ versions: PipelineVersion[] }>(
            `/pipelines/${encodeURIComponent(pipeline.pipelineId)}/versions`,
          );
          for (const version of page.versions) versions.set(version.pipelineVersionId, version.name);
        }),
      );
      if (live)
        setNames({
          pipelines: new Map(pipelines.map((pipeline) => [pipeline.pipelineId, pipeline.name])),
          versions,
        });
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return names;
}

function Badge({ state, label }: { state: string; label?: string }) {
  return (
    <span className="state" style={{ '--state-color': stateColor(state) } as CSSProperties}>
      {label ?? state}
    </span>
  );
}

function StatusBadge({ schedule }: { schedule: RecurringRun }) {
  return schedule.status === 'ENABLED' ? (
    <Badge state="RUNNING" label="enabled" />
  ) : (
    <Badge state="CANCELED" label="paused" />
  );
}

function timing(schedule: RecurringRun): string {
  if (schedule.cron) return `${schedule.cron} (${schedule.timeZone ?? 'UTC'})`;
  return `every ${schedule.intervalSeconds} s`;
}

function PauseButton({ schedule, onDone }: { schedule: RecurringRun; onDone: (error?: string) => void }) {
  const enabled = schedule.status === 'ENABLED';
  const toggle = async () => {
    try {
      await post(
        `/recurringruns/${encodeURIComponent(schedule.recurringRunId)}:${enabled ? 'disable' : 'enable'}`,
      );
      onDone();
    } catch (reason) {
      onDone((reason as Error).message);
    }
  };
  return (
    <button type="button" data-testid={enabled ? 'pause-button' : 'resume-button'} onClick={toggle}>
      {enabled ? 'Pause' : 'Resume'}
    </button>
  );
}

function NextFire({ schedule, count }: { schedule: RecurringRun; count: number }) {
  if (schedule.status !== 'ENABLED') return <span className="muted">paused — no fire times</span>;
  const times = schedule.nextFireTimes.slice(0, count);
  if (times.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="fire-times" data-testid="next-fire">
      {times.map((time) => (
        <li key={time.at} title={time.at}>
          {time.description}
        </li>
      ))}
    </ul>
  );
}

// ---- the list ------------------------------------------------------------------------------------------

function ScheduleList() {
  const list = useApi<{ recurringRuns: RecurringRun[] }>('/recurringruns');
  const names = usePipelineNames();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  useRefresh(list.reload);

  const create = async (body: ScheduleBody) => {
    await post<RecurringRun>('/recurringruns', body);
    setCreating(false);
    list.reload();
  };

  return (
    <div className="page">
      <h1>Schedules</h1>
      <div className="toolbar">
        <button type="button" data-testid="new-schedule" onClick={() => setCreating((value) => !value)}>
          {creating ? 'Close form' : 'New schedule'}
        </button>
      </div>
      {creating && (
        <ScheduleForm submitLabel="Create schedule" onSubmit={create} onCancel={() => setCreating(false)} />
      )}
      {error && <p className="error">{error}</p>}
      {list.error && <p className="error">{list.error.message}</p>}
      {!list.data ? (
        <p className="muted">Loading…</p>
      ) : list.data.recurringRuns.length === 0 ? (
        <p className="empty" data-testid="schedules-table">
          No schedules yet. Create one with “New schedule”.
        </p>
      ) : (
        <table className="grid" data-testid="schedules-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Pipeline</th>
              <th>Timing</th>
              <th>Status</th>
              <th>Next fire</th>
              <th>Catch-up</th>
              <th>Max concurrent</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.recurringRuns.map((schedule) => (
              <tr key={schedule.recurringRunId} data-testid="schedule-row" data-schedule-name={schedule.name}>
                <td>
                  <a href={href(['schedules', schedule.recurringRunId])}>{schedule.name}</a>
                </td>
                <td>
                  {names.pipelines.get(schedule.pipelineId) ?? shortId(schedule.pipelineId)}{' '}
                  <span className="muted">
                    {schedule.pipelineVersionId
                      ? (names.versions.get(schedule.pipelineVersionId) ??
                        shortId(schedule.pipelineVersionId))
                      : 'latest'}
                  </span>
                </td>
                <td title={schedule.schedule}>
                  {timing(schedule)}
                  <div className="muted">{schedule.schedule}</div>
                </td>
                <td>
                  <StatusBadge schedule={schedule} />
                </td>
                <td>
                  <NextFire schedule={schedule} count={1} />
                </td>
                <td>{schedule.catchUp}</td>
                <td>{schedule.maxConcurrency}</td>
                <td className="row-actions">
                  <PauseButton
                    schedule={schedule}
                    onDone={(message) => {
                      setError(message);
                      list.reload();
                    }}
                  />{' '}
                  <a href={href(['schedules', schedule.recurringRunId])}>details</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TriggersSection />
    </div>
  );
}

// ---- one schedule --------------------------------------------------------------------------------------

function ScheduleDetails({ scheduleId }: { scheduleId: string }) {
  const path = `/recurringruns/${encodeURIComponent(scheduleId)}`;
  const schedule = useApi<RecurringRun>(path);
  const history = useApi<{ slots: RecurringRunSlot[] }>(`${path}/runs`);
  const names = usePipelineNames();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(Date.now());
  const reloadAll = schedule.reload;
  useRefresh(reloadAll);
  useRefresh(history.reload);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  if (schedule.error) return <p className="error">{schedule.error.message}</p>;
  const data = schedule.data;
  if (!data) return <p className="muted">Loading…</p>;

  const save = async (body: ScheduleBody) => {
    await patch<RecurringRun>(path, body);
    setEditing(false);
    schedule.reload();
  };
  const remove = async () => {
    if (!window.confirm(`Delete the schedule '${data.name}'? The runs it started stay.`)) return;
    try {
      await del(path);
      navigate(['schedules']);
    } catch (reason) {
      setError((reason as Error).message);
    }
  };

  return (
    <div className="page">
      <p>
        <a href={href(['schedules'])}>← Schedules</a>
      </p>
      <h1>
        {data.name} <StatusBadge schedule={data} />
      </h1>
      <div className="toolbar">
        <PauseButton
          schedule={data}
          onDone={(message) => {
            setError(message);
            schedule.reload();
          }}
        />
        <button type="button" data-testid="edit-button" onClick={() => setEditing((value) => !value)}>
          {editing ? 'Close editor' : 'Edit'}
        </button>
        <button type="button" className="danger" data-testid="delete-button" onClick={remove}>
          Delete
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {editing ? (
        <>
          <p className="muted">
            An edit never touches runs already started; it applies from the next fire time.
          </p>
          <ScheduleForm
            initial={data}
            submitLabel="Save changes"
            onSubmit={save}
            onCancel={() => setEditing(false)}
          />
        </>
      ) : (
        <dl className="card schedule-settings" data-testid="schedule-settings">
          <dt>Pipeline</dt>
          <dd>
            {names.pipelines.get(data.pipelineId) ?? data.pipelineId}{' '}
            <span className="muted">
              {data.pipelineVersionId
                ? `version ${names.versions.get(data.pipelineVersionId) ?? data.pipelineVersionId}`
                : 'latest version at each run'}
            </span>
          </dd>
          <dt>Timing</dt>
          <dd>
            {timing(data)} — {data.schedule}
            {data.startAt && <span className="muted"> (from {when(data.startAt)})</span>}
          </dd>
          <dt>Catch-up</dt>
          <dd>{data.catchUp}</dd>
          <dt>Max concurrent runs</dt>
          <dd>{data.maxConcurrency}</dd>
          <dt>Parameters</dt>
          <dd>
            <code>{JSON.stringify(data.parameters)}</code>
          </dd>
          <dt>Created / updated</dt>
          <dd>
            {when(data.createdAt)} / {when(data.updatedAt)}
          </dd>
        </dl>
      )}
      <h2>Next fire times</h2>
      <NextFire schedule={data} count={5} />
      <h2>History</h2>
      {history.error && <p className="error">{history.error.message}</p>}
      <History slots={history.data?.slots} now={now} />
    </div>
  );
}

function History({ slots, now }: { slots: RecurringRunSlot[] | undefined; now: number }) {
  const [runs, setRuns] = useState<Record<string, RunListItem>>({});
  const wanted = (slots ?? [])
    .slice(0, HISTORY_DETAILS)
    .filter((slot) => slot.runState !== null)
    .map((slot) => `${slot.runId}:${slot.runState}`)
    .join(',');
  useEffect(() => {
    let live = true;
    const ids = wanted ? wanted.split(',').map((entry) => entry.split(':')[0]!) : [];
    Promise.all(
      ids.map((runId) => api<RunListItem>(`/runs/${encodeURIComponent(runId)}`).catch(() => undefined)),
    ).then((loaded) => {
      if (!live) return;
      const next: Record<string, RunListItem> = {};
      for (const run of loaded) if (run) next[run.runId] = run;
      setRuns(next);
    });
    return () => {
      live = false;
    };
  }, [wanted]);

  if (!slots) return <p className="muted">Loading…</p>;
  if (slots.length === 0)
    return (
      <p className="empty" data-testid="schedule-history">
        No runs yet.
      </p>
    );
  return (
    <table className="grid" data-testid="schedule-history">
      <thead>
        <tr>
          <th>Slot</th>
          <th>Slot state</th>
          <th>Run</th>
          <th>Run state</th>
          <th>Created</th>
          <th>Duration</th>
        </tr>
      </thead>
      <tbody>
        {slots.map((slot) => {
          const run = runs[slot.runId];
          return (
            <tr key={`${slot.slotTime}-${slot.runId}`} data-testid="history-row" data-run-id={slot.runId}>
              <td title={slot.slotTime}>{relativeTime(slot.slotTime, now)}</td>
              <td>
                {slot.state}
                {slot.error && <div className="error">{slot.error}</div>}
              </td>
              <td>
                {slot.runState === null ? (
                  <span className="muted">{shortId(slot.runId)}</span>
                ) : (
                  <a href={href(['runs', slot.runId])}>{shortId(slot.runId)}</a>
                )}
              </td>
              <td>{slot.runState ? <Badge state={slot.runState} /> : <span className="muted">—</span>}</td>
              <td>{run ? when(run.createdAt) : '—'}</td>
              <td>{run ? duration(run.startedAt ?? run.createdAt, run.finishedAt, now) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// ---- triggers ------------------------------------------------------------------------------------------

function TriggersSection() {
  const list = useApi<{ triggers: Trigger[] }>('/triggers');
  const [events, setEvents] = useState<Record<string, TriggerEvent[]>>({});
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedTrigger>();
  const ids = (list.data?.triggers ?? []).map((trigger) => trigger.triggerId).join(',');
  useEffect(() => {
    let live = true;
    const wanted = ids ? ids.split(',') : [];
    Promise.all(
      wanted.map(async (id) => {
        try {
          const page = await api<{ events: TriggerEvent[] }>(`/triggers/${encodeURIComponent(id)}/events`);
          return [id, page.events.slice(0, 3)] as const;
        } catch {
          return [id, []] as const;
        }
      }),
    ).then((loaded) => live && setEvents(Object.fromEntries(loaded)));
    return () => {
      live = false;
    };
  }, [ids]);

  const remove = async (trigger: Trigger) => {
    if (!window.confirm(`Delete the trigger '${trigger.name}'? The runs it started stay.`)) return;
    try {
      await del(`/triggers/${encodeURIComponent(trigger.triggerId)}`);
      list.reload();
    } catch (reason) {
      setError((reason as Error).message);
    }
  };

  const toggle = async (trigger: Trigger) => {
    try {
      await post(
        `/triggers/${encodeURIComponent(trigger.triggerId)}:${trigger.enabled ? 'disable' : 'enable'}`,
      );
      list.reload();
    } catch (reason) {
      setError((reason as Error).message);
    }
  };

  return (
    <section>
      <h2>Triggers</h2>
      <div className="toolbar">
        <button type="button" data-testid="new-trigger" onClick={() => setCreating((value) => !value)}>
          {creating ? 'Close form' : 'New trigger'}
        </button>
      </div>
      {creating && (
        <TriggerForm
          onCreated={(result) => {
            setCreating(false);
            setCreated(result);
            list.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {created && <TriggerCreated created={created} onDone={() => setCreated(undefined)} />}
      {error && <p className="error">{error}</p>}
      {list.error && <p className="error">{list.error.message}</p>}
      <table className="grid" data-testid="triggers-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Status</th>
            <th>Watches / webhook</th>
            <th>Recent events</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.data?.triggers.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No triggers. Create one with “New trigger”, <code>sluice trigger create</code> or POST
                /apis/v2beta1/triggers.
              </td>
            </tr>
          )}
          {list.data?.triggers.map((trigger) => (
            <tr key={trigger.triggerId} data-testid="trigger-row" data-trigger-name={trigger.name}>
              <td>{trigger.name}</td>
              <td>{trigger.kind}</td>
              <td>
                {trigger.enabled ? (
                  <Badge state="RUNNING" label="enabled" />
                ) : (
                  <Badge state="CANCELED" label="paused" />
                )}
              </td>
              <td>
                {trigger.kind === 'watch' ? (
                  <>
                    <code>{trigger.directory}</code> <span className="muted">→ {trigger.parameterName}</span>
                  </>
                ) : (
                  <code>POST {trigger.fireUrl}</code>
                )}
              </td>
              <td>
                {(events[trigger.triggerId] ?? []).length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="fire-times">
                    {events[trigger.triggerId]?.map((event) => (
                      <li key={`${event.dedupKey}-${event.receivedAt}`}>
                        <a href={href(['runs', event.runId])}>{shortId(event.runId)}</a> {event.state}{' '}
                        <span className="muted">{relativeTime(event.receivedAt)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <button
                  type="button"
                  data-testid={trigger.enabled ? 'trigger-pause-button' : 'trigger-resume-button'}
                  title={
                    trigger.enabled
                      ? undefined
                      : trigger.kind === 'watch'
                        ? 'files that arrived while paused fire on resume'
                        : 'calls get 409 while paused'
                  }
                  onClick={() => void toggle(trigger)}
                >
                  {trigger.enabled ? 'Pause' : 'Resume'}
                </button>{' '}
                <button type="button" className="danger" onClick={() => remove(trigger)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
