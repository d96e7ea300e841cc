/**
 * Lineage of one artifact URI, read left to right as the data flowed: what produced it (upstream, by
 * depth), the artifact itself, and what consumed it in any run (downstream).
 */
import { type CSSProperties, type FormEvent, useEffect, useState } from 'react';
import type { Json, Lineage, LineageArtifact, LineageTask } from '../lib/api-types.ts';
import { jsonText, shortId } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { stateColor } from '../lib/states.ts';
import { useApi } from '../lib/use-api.ts';

export function LineagePage({ uri }: { uri?: string }) {
  const lineage = useApi<Lineage>(uri ? `/lineage?uri=${encodeURIComponent(uri)}` : null);
  return (
    <div className="page lineage-page">
      <h1>Lineage</h1>
      <UriForm uri={uri} />
      {!uri ? (
        <p className="empty">
          Give an artifact URI (as shown in a task's outputs) to see what produced it and what used it.
        </p>
      ) : lineage.error ? (
        <p className="error">{lineage.error.message}</p>
      ) : !lineage.data ? (
        <p className="muted">Tracing lineage…</p>
      ) : (
        <LineageView lineage={lineage.data} />
      )}
    </div>
  );
}

function UriForm({ uri }: { uri?: string }) {
  const [value, setValue] = useState(uri ?? '');
  // Following an input artifact's link changes the route; the box should show the new subject.
  useEffect(() => setValue(uri ?? ''), [uri]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (trimmed) navigate(['lineage'], { uri: trimmed });
  };
  return (
    <form className="toolbar" onSubmit={submit} data-testid="lineage-form">
      <label htmlFor="lineage-uri">Artifact URI</label>
      <input
        id="lineage-uri"
        className="lineage-uri mono"
        value={value}
        placeholder="file:///…/outputs/model"
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" className="primary" disabled={!value.trim()}>
        Trace
      </button>
    </form>
  );
}

const taskHref = (runId: string, path: string) => href(['runs', runId], { task: path });
const lineageHref = (uri: string) => href(['lineage'], { uri });

function byDepth(tasks: LineageTask[]): [number, LineageTask[]][] {
  const groups = new Map<number, LineageTask[]>();
  for (const task of tasks) {
    const group = groups.get(task.depth);
    if (group) group.push(task);
    else groups.set(task.depth, [task]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b);
}

function LineageView({ lineage }: { lineage: Lineage }) {
  if (lineage.artifacts.length === 0) return <p className="empty">No artifact with this URI is recorded.</p>;
  return (
    <>
      {lineage.truncated && (
        <p className="error" data-testid="lineage-truncated">
          The lineage is large: the walk stopped early, so some upstream or downstream tasks are not shown.
        </p>
      )}
      <div className="lineage-chain">
        <section className="lineage-side lineage-upstream" data-testid="lineage-upstream">
          <h2>Upstream ← produced by</h2>
          {lineage.upstream.length === 0 ? (
            <p className="muted">Nothing recorded upstream.</p>
          ) : (
            // Nearest first in the markup; row-reverse draws the oldest step leftmost, as the data flowed.
            <div className="lineage-depths reverse">
              {byDepth(lineage.upstream).map(([depth, tasks]) => (
                <DepthColumn key={depth} depth={depth} tasks={tasks} side="upstream" />
              ))}
            </div>
          )}
        </section>
        <section className="lineage-subject" data-testid="lineage-artifacts">
          <h2>Artifact</h2>
          {lineage.artifacts.map((artifact) => (
            <ArtifactCard key={artifact.id} artifact={artifact} />
          ))}
        </section>
        <section className="lineage-side" data-testid="lineage-downstream">
          <h2>Downstream → used by</h2>
          {lineage.downstream.length === 0 ? (
            <p className="muted">No task has used it.</p>
          ) : (
            <div className="lineage-depths">
              {byDepth(lineage.downstream).map(([depth, tasks]) => (
                <DepthColumn key={depth} depth={depth} tasks={tasks} side="downstream" />
              ))}
            </div>
          )}
        </section>
      </div>
    </>
  );
}

function ArtifactCard({ artifact }: { artifact: LineageArtifact }) {
  return (
    <div className="card lineage-card lineage-artifact">
      <div>
        <strong>{artifact.name}</strong> <span className="muted">{artifact.schemaTitle}</span>
      </div>
      <div className="mono lineage-wrap">{artifact.uri}</div>
      <div>
        made by <a href={taskHref(artifact.runId, artifact.producer)}>{artifact.producer}</a> in run{' '}
        <a href={href(['runs', artifact.runId])}>{shortId(artifact.runId)}</a>
      </div>
      {artifact.digest && <div className="muted mono">digest {artifact.digest.slice(0, 19)}</div>}
      <CompactValues values={artifact.metadata} />
    </div>
  );
}

function DepthColumn({
  depth,
  tasks,
  side,
}: {
  depth: number;
  tasks: LineageTask[];
  side: 'upstream' | 'downstream';
}) {
  return (
    <div className="lineage-depth">
      <div className="muted lineage-depth-label">
        {depth === 0 ? (side === 'upstream' ? 'producer' : 'direct consumers') : `${depth} step(s) further`}
      </div>
      {tasks.map((task) => (
        <TaskCard key={`${task.runId}/${task.path}`} task={task} side={side} />
      ))}
    </div>
  );
}

function TaskCard({ task, side }: { task: LineageTask; side: 'upstream' | 'downstream' }) {
  // Upstream, the inputs say where to go next; downstream, the outputs do.
  const artifacts = side === 'upstream' ? task.inputs : task.outputs;
  return (
    <div className="card lineage-card" data-testid="lineage-task">
      <div>
        <a href={taskHref(task.runId, task.path)} className="mono">
          {task.path}
        </a>{' '}
        <span className="state" style={{ '--state-color': stateColor(task.state) } as CSSProperties}>
          {task.state}
        </span>
      </div>
      <div className="muted">
        {task.component} · {task.pipeline} · run{' '}
        <a href={href(['runs', task.runId])}>{shortId(task.runId)}</a>
      </div>
      {task.cachedFrom && (
        <div className="muted">
          cached from{' '}
          <a href={taskHref(task.cachedFrom.runId, task.cachedFrom.path)}>{task.cachedFrom.path}</a> in run{' '}
          {shortId(task.cachedFrom.runId)}
        </div>
      )}
      <TaskCode task={task} />
      <CompactValues values={task.parameters} />
      {artifacts.length > 0 && (
        <div className="lineage-artifacts">
          <span className="muted">{side === 'upstream' ? 'inputs' : 'outputs'}:</span>
          {artifacts.map(({ key, artifact }) => (
            <a key={`${key}/${artifact.id}`} href={lineageHref(artifact.uri)} title={artifact.uri}>
              {key}
              <span className="muted"> ({artifact.schemaTitle})</span>
            </a>
          ))}
        </div>
      )}
    </div>
  );
}

/** The server sends what ran (image and command); older type definitions do not declare it yet. */
function TaskCode({ task }: { task: LineageTask }) {
  const code = (task as { code?: { image?: unknown; command?: unknown } | null }).code;
  if (!code || typeof code.image !== 'string') return null;
  const command = Array.isArray(code.command) ? code.command.join(' ') : '';
  return (
    <div className="mono muted lineage-wrap" title={command}>
      {code.image}
      {command && ` · ${truncate(command, 80)}`}
    </div>
  );
}

function CompactValues({ values }: { values: Record<string, Json> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  return (
    <dl className="kv params">
      {entries.map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{key}</dt>
          <dd className="mono">{truncate(jsonText(value), 120)}</dd>
        </div>
      ))}
    </dl>
  );
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
