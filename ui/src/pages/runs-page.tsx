/**
 * Every run, newest first: state, duration, parameters and one column per metric the listed runs report.
 * Refreshes while any listed run is unfinished; pick two or more to compare.
 */
import { type CSSProperties, useEffect, useMemo, useState } from 'react';
import { api, post } from '../lib/api.ts';
import type { Experiment, ListRunsResponse, RunListItem } from '../lib/api-types.ts';
import { duration, jsonText, metricNumber, shortId, when } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { isFinal, stateColor } from '../lib/states.ts';

const PAGE_SIZE = 50;
const RUN_STATES = ['', 'PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELING', 'CANCELED'];

const STORAGE = [
  ['AVAILABLE', 'active'],
  ['ARCHIVED', 'archived'],
  ['ALL', 'active and archived'],
] as const;

export function RunsPage() {
  const [state, setState] = useState('');
  const [experimentId, setExperimentId] = useState('');
  const [storage, setStorage] = useState<string>('AVAILABLE');
  const [experiments, setExperiments] = useState<Experiment[]>([]);
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    api<{ experiments: Experiment[] }>('/experiments').then(
      (page) => setExperiments(page.experiments),
      () => setExperiments([]),
    );
  }, []);

  const filters = () => {
    const query = new URLSearchParams({ pageSize: String(PAGE_SIZE), storageState: storage });
    if (state) query.set('state', state);
    if (experimentId) query.set('experimentId', experimentId);
    return query;
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` refreshes the first page
  useEffect(() => {
    const query = filters();
    api<ListRunsResponse>(`/runs?${query}`).then(
      (page) => {
        setRuns(page.runs);
        setNext(page.nextPageToken);
        setError(undefined);
      },
      (reason: Error) => setError(reason.message),
    );
  }, [state, experimentId, storage, tick]);

  const live = runs.some((run) => !isFinal(run.state));
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setTick((value) => value + 1), 2000);
    return () => clearInterval(timer);
  }, [live]);

  const loadMore = async () => {
    if (!next) return;
    const query = filters();
    query.set('pageToken', next);
    const page = await api<ListRunsResponse>(`/runs?${query}`);
    setRuns((previous) => [...previous, ...page.runs]);
    setNext(page.nextPageToken);
  };

  const metricColumns = useMemo(() => {
    const names = new Set<string>();
    for (const run of runs) for (const name of Object.keys(run.scalarMetrics ?? {})) names.add(name);
    return [...names].sort().slice(0, 8);
  }, [runs]);

  const setArchived = async (action: 'archive' | 'unarchive') => {
    try {
      for (const runId of picked) await post(`/runs/${encodeURIComponent(runId)}:${action}`);
      setPicked([]);
    } catch (reason) {
      setError((reason as Error).message);
    }
    setTick((value) => value + 1);
  };

  const toggle = (runId: string) =>
    setPicked((previous) =>
      previous.includes(runId) ? previous.filter((id) => id !== runId) : [...previous, runId],
    );

  return (
    <div className="page">
      <h1>Runs</h1>
      <div className="toolbar">
        <label>
          State{' '}
          <select value={state} onChange={(event) => setState(event.target.value)} data-testid="state-filter">
            {RUN_STATES.map((value) => (
              <option key={value} value={value}>
                {value || 'all'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Experiment{' '}
          <select value={experimentId} onChange={(event) => setExperimentId(event.target.value)}>
            <option value="">all</option>
            {experiments.map((experiment) => (
              <option key={experiment.experimentId} value={experiment.experimentId}>
                {experiment.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Show{' '}
          <select
            value={storage}
            onChange={(event) => setStorage(event.target.value)}
            data-testid="storage-filter"
          >
            {STORAGE.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={picked.length === 0}
          data-testid="archive-button"
          onClick={() => void setArchived(storage === 'ARCHIVED' ? 'unarchive' : 'archive')}
        >
          {storage === 'ARCHIVED' ? 'Restore' : 'Archive'} {picked.length > 0 ? picked.length : ''}
        </button>
        <button
          type="button"
          className="primary"
          disabled={picked.length < 2}
          data-testid="compare-button"
          onClick={() => navigate(['compare'], { runs: picked.join(',') })}
        >
          Compare {picked.length > 0 ? picked.length : ''} runs
        </button>
        <a href={href(['new'])}>New run…</a>
        {live && <span className="muted">refreshing while runs are active</span>}
      </div>
      {error && <div className="error">{error}</div>}
      {runs.length === 0 && !error ? (
        <p className="empty">
          No runs yet. Start one with <code>sluice run PIPELINE</code>, or upload a pipeline and create a run.
        </p>
      ) : (
        <table className="grid" data-testid="runs-table">
          <thead>
            <tr>
              <th />
              <th>Run</th>
              <th>State</th>
              <th>Pipeline</th>
              <th>Created</th>
              <th className="num">Duration</th>
              <th>Parameters</th>
              {metricColumns.map((name) => (
                <th key={name} className="num">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId} data-testid="run-row" data-run-id={run.runId}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`compare ${run.runId}`}
                    checked={picked.includes(run.runId)}
                    onChange={() => toggle(run.runId)}
                  />
                </td>
                <td>
                  <a href={href(['runs', run.runId])}>{run.displayName ?? shortId(run.runId)}</a>
                </td>
                <td>
                  <span className="state" style={{ '--state-color': stateColor(run.state) } as CSSProperties}>
                    {run.state}
                  </span>
                </td>
                <td>{run.pipeline}</td>
                <td>{when(run.createdAt)}</td>
                <td className="num">{duration(run.createdAt, run.finishedAt)}</td>
                <td className="params">
                  {Object.entries(run.parameters)
                    .map(([name, value]) => `${name}=${jsonText(value)}`)
                    .join(', ')
                    .slice(0, 160)}
                </td>
                {metricColumns.map((name) => (
                  <td key={name} className="num">
                    {run.scalarMetrics?.[name] === undefined ? '' : metricNumber(run.scalarMetrics[name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <div className="toolbar" style={{ marginTop: 12 }}>
          <button type="button" onClick={() => void loadMore()}>
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
