/** One task: what it received and produced, its attempts and cache decision, its log and its artifacts. */
import { type CSSProperties, useEffect, useState } from 'react';
import { api } from '../lib/api.ts';
import type { ArtifactRef, TaskDetail, TaskValues } from '../lib/api-types.ts';
import { duration, jsonText, when } from '../lib/format.ts';
import { href } from '../lib/router.ts';
import { isFinal, stateColor } from '../lib/states.ts';
import { ArtifactPreview } from './artifact-preview.tsx';
import { LogView } from './log-view.tsx';

type Tab = 'overview' | 'logs' | 'artifacts';

export function TaskPanel({
  runId,
  taskPath,
  runFinal,
}: {
  runId: string;
  taskPath: string;
  runFinal: boolean;
}) {
  const [task, setTask] = useState<TaskDetail>();
  const [error, setError] = useState<string>();
  const [tab, setTab] = useState<Tab>('overview');
  const taskFinal = task !== undefined && isFinal(task.state);

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await api<TaskDetail>(
          `/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(taskPath)}`,
        );
        if (stop) return;
        setTask(next);
        setError(undefined);
        if (!isFinal(next.state) && !runFinal) timer = setTimeout(load, 1000);
      } catch (reason) {
        if (!stop) setError((reason as Error).message);
      }
    };
    void load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [runId, taskPath, runFinal]);

  if (error) return <div className="error">{error}</div>;
  if (!task) return <p className="muted">Loading {taskPath}…</p>;
  const outputs = Object.values(task.outputs.artifacts).flat();
  return (
    <div data-testid="task-panel">
      <h2>{task.path}</h2>
      <span className="state" style={{ '--state-color': stateColor(task.state) } as CSSProperties}>
        {task.state}
      </span>{' '}
      <span className="muted">{task.component}</span>
      <div className="tabs">
        {(['overview', 'logs', 'artifacts'] as const).map((name) => (
          <button
            key={name}
            type="button"
            className={tab === name ? 'active' : ''}
            data-testid={`tab-${name}`}
            onClick={() => setTab(name)}
          >
            {name === 'artifacts' ? `artifacts (${outputs.length})` : name}
          </button>
        ))}
      </div>
      {tab === 'overview' && <Overview task={task} />}
      {tab === 'logs' && <LogView runId={runId} taskPath={taskPath} follow={!taskFinal && !runFinal} />}
      {tab === 'artifacts' &&
        (outputs.length === 0 ? (
          <p className="muted">This task produced no artifacts{taskFinal ? '' : ' yet'}.</p>
        ) : (
          outputs.map((artifact) => (
            <ArtifactPreview key={artifact.artifactId || artifact.uri} artifact={artifact} />
          ))
        ))}
    </div>
  );
}

function Overview({ task }: { task: TaskDetail }) {
  return (
    <>
      {task.error && <div className="error">{task.error}</div>}
      <dl className="kv">
        <dt>started</dt>
        <dd>{when(task.startedAt)}</dd>
        <dt>duration</dt>
        <dd>{duration(task.startedAt, task.finishedAt)}</dd>
        <dt>cache</dt>
        <dd data-testid="cache-decision">
          <CacheDecision task={task} />
        </dd>
      </dl>
      <h3>Inputs</h3>
      <Values values={task.inputs} />
      <h3>Outputs</h3>
      <Values values={task.outputs} />
      <h3>Attempts</h3>
      {task.attempts.length === 0 ? (
        <p className="muted">{task.state === 'CACHED' ? 'None: the cache answered.' : 'None yet.'}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>#</th>
              <th>state</th>
              <th>exit</th>
              <th>duration</th>
              <th>error</th>
            </tr>
          </thead>
          <tbody>
            {task.attempts.map((attempt) => (
              <tr key={attempt.number}>
                <td>{attempt.number}</td>
                <td>{attempt.state}</td>
                <td>{attempt.exitCode ?? ''}</td>
                <td>{duration(attempt.startedAt, attempt.finishedAt)}</td>
                <td>{attempt.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function CacheDecision({ task }: { task: TaskDetail }) {
  const { cachedFrom, explanation, fingerprint } = task.cache;
  if (cachedFrom)
    return (
      <>
        reused{' '}
        <a href={href(['runs', cachedFrom.runId], { task: cachedFrom.path })}>
          {cachedFrom.path} in run {cachedFrom.runId.slice(0, 8)}
        </a>
      </>
    );
  if (explanation) return <>ran: {explanation}</>;
  return <>{fingerprint ? 'ran' : 'not cached'}</>;
}

function Values({ values }: { values: TaskValues }) {
  const parameters = Object.entries(values.parameters);
  const artifacts = Object.entries(values.artifacts);
  if (parameters.length === 0 && artifacts.length === 0) return <p className="muted">none</p>;
  return (
    <dl className="kv">
      {parameters.map(([name, value]) => (
        <Row key={`p-${name}`} name={name} value={<code>{jsonText(value)}</code>} />
      ))}
      {artifacts.map(([name, refs]) => (
        <Row key={`a-${name}`} name={name} value={<ArtifactLinks refs={refs} />} />
      ))}
    </dl>
  );
}

const Row = ({ name, value }: { name: string; value: React.ReactNode }) => (
  <>
    <dt>{name}</dt>
    <dd>{value}</dd>
  </>
);

function ArtifactLinks({ refs }: { refs: ArtifactRef[] }) {
  return (
    <>
      {refs.map((ref) => (
        <div key={ref.artifactId || ref.uri}>
          <span className="muted">{ref.schemaTitle}</span>{' '}
          <a className="mono" href={href(['lineage'], { uri: ref.uri })}>
            {ref.uri.split('/').slice(-3).join('/')}
          </a>
        </div>
      ))}
    </>
  );
}
