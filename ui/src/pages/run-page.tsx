/**
 * One run: its DAG updating live (from the run's event stream), cancel and retry, and a side panel for
 * the selected task, loop or group, or the run's summary when nothing is selected. The selected task is
 * in the URL (`?task=PATH`) so links can open it.
 */
import { type CSSProperties, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { warmLayoutWorker } from '../graph/graph-layout.ts';
import { RunGraphView } from '../graph/run-graph-view.tsx';
import { api, followRunEvents, post } from '../lib/api.ts';
import type { GraphNode, Run, RunGraph } from '../lib/api-types.ts';
import { duration, when } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { stateColor } from '../lib/states.ts';
import { LoopPanel } from '../task/loop-panel.tsx';
import { RunSummaryPanel } from '../task/run-summary-panel.tsx';
import { TaskPanel } from '../task/task-panel.tsx';

const FINAL_RUN = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);
const REFRESH_MS = 500;

export function RunPage({ runId, query }: { runId: string; query: URLSearchParams }) {
  const [run, setRun] = useState<Run>();
  const [graph, setGraph] = useState<RunGraph>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const selectedTask = query.get('task');
  const [selectedNode, setSelectedNode] = useState<string | null>(query.get('node'));

  // The graph and the run report load side by side; the DAG shows as soon as its own data is in.
  const load = useCallback(async () => {
    const failed = (reason: Error) => setError(reason.message);
    await Promise.all([
      api<RunGraph>(`/runs/${encodeURIComponent(runId)}/graph`).then(setGraph, failed),
      api<Run>(`/runs/${encodeURIComponent(runId)}`).then((next) => {
        setRun(next);
        setError(undefined);
      }, failed),
    ]);
  }, [runId]);

  // Events arrive in bursts (a fan-out starts hundreds of tasks); reload at most every REFRESH_MS.
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const scheduleLoad = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      void load();
    }, REFRESH_MS);
  }, [load]);

  const final = run !== undefined && FINAL_RUN.has(run.state);
  useEffect(() => {
    warmLayoutWorker();
    void load();
  }, [load]);
  // Only a run still going has news; a finished one would only replay its history.
  const live = run !== undefined && !final;
  useEffect(() => {
    if (!live) return;
    const controller = new AbortController();
    void followRunEvents(runId, scheduleLoad, controller.signal).then(() => scheduleLoad());
    return () => controller.abort();
  }, [runId, live, scheduleLoad]);

  const nodeForTask = useMemo(() => {
    if (!graph || !selectedTask) return undefined;
    return (
      graph.nodes.find((node) => node.taskPath === selectedTask) ??
      graph.nodes.find((node) => node.id === selectedTask.replace(/\[\d+\]/g, ''))
    );
  }, [graph, selectedTask]);
  const selected = nodeForTask?.id ?? selectedNode;
  const node = graph?.nodes.find((candidate) => candidate.id === selected);

  const select = (picked: GraphNode | null) => {
    setSelectedNode(picked?.id ?? null);
    navigate(['runs', runId], picked?.taskPath ? { task: picked.taskPath } : {});
  };

  const act = async (action: 'cancel' | 'retry') => {
    setBusy(true);
    try {
      await post(`/runs/${encodeURIComponent(runId)}:${action}`);
      await load();
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!graph)
    return error ? <div className="page error">{error}</div> : <p className="empty">Loading run {runId}…</p>;
  return (
    <div className="run-layout">
      <div className="run-main">
        {run ? (
          <div className="run-header">
            <h1>{run.displayName ?? run.pipeline}</h1>
            <span
              className="state"
              data-testid="run-state"
              style={{ '--state-color': stateColor(run.state) } as CSSProperties}
            >
              {run.state}
            </span>
            <span className="muted mono">{run.runId}</span>
            <span>
              {run.pipeline} · started {when(run.startedAt ?? run.createdAt)} ·{' '}
              {duration(run.startedAt ?? run.createdAt, run.finishedAt)}
            </span>
            <span style={{ flex: 1 }} />
            {!final && (
              <button type="button" className="danger" disabled={busy} onClick={() => void act('cancel')}>
                Cancel
              </button>
            )}
            {(run.state === 'FAILED' || run.state === 'CANCELED') && (
              <button type="button" className="primary" disabled={busy} onClick={() => void act('retry')}>
                Retry
              </button>
            )}
            <a href={href(['runs'])}>All runs</a>
          </div>
        ) : (
          <div className="run-header">
            <span className="muted">Loading run {runId}…</span>
          </div>
        )}
        {error && <div className="error">{error}</div>}
        <div className="graph-area">
          <RunGraphView graph={graph} selected={selected ?? null} onSelect={select} />
        </div>
      </div>
      <aside className="side-panel" data-testid="side-panel">
        {node?.taskPath && (node.kind === 'CONTAINER' || node.kind === 'IMPORTER') ? (
          <TaskPanel key={node.taskPath} runId={runId} taskPath={node.taskPath} runFinal={final} />
        ) : node && selectedTask && nodeForTask && !nodeForTask.taskPath ? (
          <TaskPanel key={selectedTask} runId={runId} taskPath={selectedTask} runFinal={final} />
        ) : !run ? (
          <p className="muted">Loading…</p>
        ) : node ? (
          <LoopPanel run={run} graph={graph} node={node} />
        ) : (
          <RunSummaryPanel run={run} />
        )}
      </aside>
    </div>
  );
}
