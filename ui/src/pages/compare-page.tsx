/**
 * Side-by-side comparison of two or more runs: which parameters differ, how the metrics moved, and which
 * tasks re-executed instead of coming from the cache (with the fingerprint parts that changed).
 */
import { type CSSProperties, useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../lib/api.ts';
import type { Json, Run, TaskDetail } from '../lib/api-types.ts';
import { duration, jsonText, metricNumber, shortId } from '../lib/format.ts';
import { href } from '../lib/router.ts';
import { stateColor } from '../lib/states.ts';

/** The task detail endpoint is asked at most this often per comparison, this many at a time. */
const MAX_DETAIL_REQUESTS = 100;
const DETAIL_CONCURRENCY = 6;
/** More charts than this turn the page into a wall of bars; the table still lists every metric. */
const MAX_CHARTS = 24;
const BAR_COLORS = ['#1d5fbf', '#f2994a', '#27ae60', '#bb6bd9', '#eb5757', '#2d9cdb', '#9b51e0', '#828282'];

export function ComparePage({ runIds }: { runIds: string[] }) {
  const key = runIds.join(',');
  const { runs, error } = useRuns(runIds, key);
  if (runIds.length < 2)
    return (
      <div className="page">
        <h1>Compare runs</h1>
        <p className="empty" data-testid="compare-hint">
          Pick two or more runs on the <a href={href(['runs'])}>runs page</a> to compare them.
        </p>
      </div>
    );
  return (
    <div className="page compare-page">
      <h1>Compare {runIds.length} runs</h1>
      {error && <p className="error">{error.message}</p>}
      {!runs && !error && <p className="muted">Loading runs…</p>}
      {runs && (
        <>
          <RunCards runs={runs} />
          <ParamDiff runs={runs} />
          <MetricsSection runs={runs} />
          <TaskCompare runs={runs} />
        </>
      )}
    </div>
  );
}

function useRuns(runIds: string[], key: string): { runs: Run[] | undefined; error: Error | undefined } {
  const [runs, setRuns] = useState<Run[]>();
  const [error, setError] = useState<Error>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the joined ids decide when to load again
  useEffect(() => {
    if (runIds.length < 2) return;
    let live = true;
    setRuns(undefined);
    setError(undefined);
    Promise.all(runIds.map((id) => api<Run>(`/runs/${encodeURIComponent(id)}`))).then(
      (loaded) => live && setRuns(loaded),
      (reason: Error) => live && setError(reason),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return { runs, error };
}

const runLabel = (run: Run) => run.displayName || shortId(run.runId);

function StateBadge({ state }: { state: string }) {
  return (
    <span className="state" style={{ '--state-color': stateColor(state) } as CSSProperties}>
      {state}
    </span>
  );
}

function RunCards({ runs }: { runs: Run[] }) {
  return (
    <div className="cards" data-testid="run-cards">
      {runs.map((run) => (
        <div className="card" key={run.runId}>
          <div>
            <a href={href(['runs', run.runId])}>
              <strong>{runLabel(run)}</strong>
            </a>
          </div>
          <div className="muted mono">{run.runId}</div>
          <div>
            <StateBadge state={run.state} /> <span className="muted">{run.pipeline}</span>
          </div>
          <div className="muted">{duration(run.startedAt, run.finishedAt)}</div>
        </div>
      ))}
    </div>
  );
}

// ---- parameters ----------------------------------------------------------------------------------------

function ParamDiff({ runs }: { runs: Run[] }) {
  const [showAll, setShowAll] = useState(false);
  const rows = useMemo(() => {
    const names = [...new Set(runs.flatMap((run) => Object.keys(run.parameters)))].sort();
    return names.map((name) => {
      const values = runs.map((run) => (name in run.parameters ? run.parameters[name] : undefined));
      // Compare serialised values: 1 and 1.0 are the same number, but {a:1} needs a structural check.
      const changed = new Set(values.map((value) => JSON.stringify(value ?? null))).size > 1;
      return { name, values, changed };
    });
  }, [runs]);
  const shown = showAll ? rows : rows.filter((row) => row.changed);
  const changedCount = rows.filter((row) => row.changed).length;
  return (
    <section data-testid="param-diff">
      <h2>Parameters</h2>
      <div className="toolbar">
        <span className="muted">
          {changedCount} of {rows.length} differ
        </span>
        <label>
          <input type="checkbox" checked={showAll} onChange={(event) => setShowAll(event.target.checked)} />{' '}
          show all
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="empty">
          {rows.length === 0 ? 'These runs have no parameters.' : 'All parameters are equal.'}
        </p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Parameter</th>
              {runs.map((run) => (
                <th key={run.runId}>{runLabel(run)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.name} className={row.changed ? 'diff-changed' : undefined}>
                <td className="mono">{row.name}</td>
                {row.values.map((value, index) => (
                  <td key={runs[index]!.runId} className="mono">
                    {value === undefined ? <span className="muted">—</span> : jsonText(value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// ---- metrics -------------------------------------------------------------------------------------------

interface MetricRow {
  key: string;
  values: (number | undefined)[];
  lowerIsBetter: boolean;
}

/** Errors and losses improve downwards; everything else (accuracy, f1, auc…) upwards. */
const LOWER_IS_BETTER = /loss|error|err\b|mse|mae|rmse|perplexity|latency|duration|time/i;

/** Scalar metrics per run: numeric metadata of the metrics artifacts, keyed `task/name`. */
function metricRows(runs: Run[]): MetricRow[] {
  const byKey = new Map<string, (number | undefined)[]>();
  runs.forEach((run, index) => {
    for (const artifact of run.metrics) {
      for (const [name, value] of Object.entries(artifact.metadata)) {
        // Confusion matrices and curves are structured; only plain numbers compare as bars.
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const key = `${artifact.task}/${name}`;
        let values = byKey.get(key);
        if (!values) byKey.set(key, (values = runs.map(() => undefined)));
        values[index] = value;
      }
    }
  });
  return [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => ({
      key,
      values,
      lowerIsBetter: LOWER_IS_BETTER.test(key.split('/').pop() ?? ''),
    }));
}

function bestIndex(row: MetricRow): number | undefined {
  let best: number | undefined;
  row.values.forEach((value, index) => {
    if (value === undefined) return;
    const current = best === undefined ? undefined : row.values[best];
    if (current === undefined || (row.lowerIsBetter ? value < current : value > current)) best = index;
  });
  // One value, or all equal, is not a "best".
  const present = row.values.filter((value) => value !== undefined);
  return present.length > 1 && new Set(present).size > 1 ? best : undefined;
}

function MetricsSection({ runs }: { runs: Run[] }) {
  const rows = useMemo(() => metricRows(runs), [runs]);
  return (
    <section>
      <h2>Metrics</h2>
      {rows.length === 0 ? (
        <p className="empty" data-testid="metric-table">
          No scalar metrics in these runs.
        </p>
      ) : (
        <>
          <MetricTable runs={runs} rows={rows} />
          <MetricCharts runs={runs} rows={rows} />
        </>
      )}
    </section>
  );
}

function MetricTable({ runs, rows }: { runs: Run[]; rows: MetricRow[] }) {
  return (
    <table className="grid" data-testid="metric-table">
      <thead>
        <tr>
          <th>Metric</th>
          {runs.map((run) => (
            <th key={run.runId} className="num">
              {runLabel(run)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const best = bestIndex(row);
          return (
            <tr key={row.key}>
              <td className="mono">
                {row.key}
                {row.lowerIsBetter && <span className="muted"> (lower is better)</span>}
              </td>
              {row.values.map((value, index) => (
                <td key={runs[index]!.runId} className="num">
                  {value === undefined ? (
                    <span className="muted">—</span>
                  ) : index === best ? (
                    <strong data-testid="metric-best">{metricNumber(value)}</strong>
                  ) : (
                    metricNumber(value)
                  )}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function MetricCharts({ runs, rows }: { runs: Run[]; rows: MetricRow[] }) {
  const shown = rows.slice(0, MAX_CHARTS);
  return (
    <div className="compare-charts" data-testid="metric-charts">
      {shown.map((row) => {
        const data = runs.map((run, index) => ({ run: runLabel(run), value: row.values[index] ?? null }));
        return (
          <div className="card compare-chart" key={row.key}>
            <div className="mono compare-chart-title" title={row.key}>
              {row.key}
            </div>
            <BarChart width={260} height={170} data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="run" tick={{ fontSize: 11 }} interval={0} />
              <YAxis
                tick={{ fontSize: 11 }}
                width={48}
                tickFormatter={(value: number) => metricNumber(value)}
              />
              <Tooltip
                formatter={(value) => (typeof value === 'number' ? metricNumber(value) : String(value))}
              />
              <Bar dataKey="value" isAnimationActive={false}>
                {data.map((entry, index) => (
                  <Cell key={entry.run + String(index)} fill={BAR_COLORS[index % BAR_COLORS.length]} />
                ))}
              </Bar>
            </BarChart>
          </div>
        );
      })}
      {rows.length > shown.length && (
        <p className="muted">{rows.length - shown.length} more metrics are in the table only.</p>
      )}
    </div>
  );
}

// ---- tasks and the cache -------------------------------------------------------------------------------

/** Whether a task ran its container (or importer) in this run rather than reusing a cached result. */
const EXECUTED = new Set(['SUCCEEDED', 'FAILED', 'RUNNING', 'RETRYING', 'CANCELED', 'CANCELING']);

interface TaskRow {
  path: string;
  states: (string | undefined)[];
  /** Worth explaining: it executed somewhere and appears in at least two runs. */
  interesting: boolean;
}

/**
 * Leaf tasks only: the report lists groups (DAGs, loops, iterations) too, and a group is the prefix of
 * its children's paths (`loop/child`, `loop[0]/child`).
 */
function taskRows(runs: Run[]): TaskRow[] {
  const paths = [...new Set(runs.flatMap((run) => run.tasks.map((task) => task.name)))].sort();
  const leaves = paths.filter(
    (path) => !paths.some((other) => other.startsWith(`${path}/`) || other.startsWith(`${path}[`)),
  );
  return leaves.map((path) => {
    const states = runs.map((run) => run.tasks.find((task) => task.name === path)?.state);
    const present = states.filter((state) => state !== undefined);
    const executed = present.filter((state) => EXECUTED.has(state));
    return { path, states, interesting: present.length >= 2 && executed.length >= 1 };
  });
}

const detailKey = (runId: string, path: string) => `${runId}\u0000${path}`;

/** Task details for the interesting cells, executed ones first, fetched a few at a time. */
function useTaskDetails(
  runs: Run[],
  rows: TaskRow[],
): { details: Map<string, TaskDetail>; pending: boolean } {
  const [details, setDetails] = useState(() => new Map<string, TaskDetail>());
  const [pending, setPending] = useState(false);
  const wanted = useMemo(() => {
    const executed: [string, string][] = [];
    const cached: [string, string][] = [];
    for (const row of rows) {
      if (!row.interesting) continue;
      row.states.forEach((state, index) => {
        const cell: [string, string] = [runs[index]!.runId, row.path];
        if (state !== undefined && EXECUTED.has(state)) executed.push(cell);
        else if (state === 'CACHED') cached.push(cell);
      });
    }
    return [...executed, ...cached].slice(0, MAX_DETAIL_REQUESTS);
  }, [runs, rows]);
  useEffect(() => {
    let live = true;
    const queue = [...wanted];
    setDetails(new Map());
    setPending(queue.length > 0);
    const worker = async () => {
      for (let cell = queue.shift(); cell; cell = queue.shift()) {
        const [runId, path] = cell;
        try {
          const detail = await api<TaskDetail>(
            `/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(path)}`,
          );
          if (!live) return;
          setDetails((previous) => new Map(previous).set(detailKey(runId, path), detail));
        } catch {
          // A missing detail leaves its cell without a reason; the state is still shown.
        }
      }
    };
    Promise.all(Array.from({ length: DETAIL_CONCURRENCY }, worker)).then(() => live && setPending(false));
    return () => {
      live = false;
    };
  }, [wanted]);
  return { details, pending };
}

function TaskCompare({ runs }: { runs: Run[] }) {
  const rows = useMemo(() => taskRows(runs), [runs]);
  const { details, pending } = useTaskDetails(runs, rows);
  const [onlyDifferent, setOnlyDifferent] = useState(true);
  const shown = onlyDifferent ? rows.filter((row) => row.interesting || new Set(row.states).size > 1) : rows;
  return (
    <section data-testid="task-compare">
      <h2>Tasks: cached vs re-executed, and why</h2>
      <div className="toolbar">
        <label>
          <input
            type="checkbox"
            checked={onlyDifferent}
            onChange={(event) => setOnlyDifferent(event.target.checked)}
          />{' '}
          only tasks that executed or differ
        </label>
        {pending && <span className="muted">loading cache reasons…</span>}
      </div>
      {shown.length === 0 ? (
        <p className="empty">Every task was cached in every run.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Task</th>
              {runs.map((run) => (
                <th key={run.runId}>{runLabel(run)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.path} data-testid="task-compare-row">
                <td className="mono">{row.path}</td>
                {row.states.map((state, index) => {
                  const run = runs[index]!;
                  return (
                    <td key={run.runId}>
                      {state === undefined ? (
                        <span className="muted">—</span>
                      ) : (
                        <>
                          <a href={href(['runs', run.runId], { task: row.path })}>
                            <StateBadge state={state} />
                          </a>
                          <CacheNote detail={details.get(detailKey(run.runId, row.path))} />
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CacheNote({ detail }: { detail: TaskDetail | undefined }) {
  if (!detail) return null;
  const { cachedFrom, missReason } = detail.cache;
  if (cachedFrom)
    return (
      <div className="cache-note">
        from{' '}
        <a href={href(['runs', cachedFrom.runId], { task: cachedFrom.path })}>
          run {shortId(cachedFrom.runId)}
        </a>
      </div>
    );
  if (missReason === null || missReason === undefined) return null;
  // Newer servers also send the one-line wording the CLI prints; the parts stay visible underneath.
  const explanation = (detail.cache as { explanation?: unknown }).explanation;
  return (
    <div className="cache-note" data-testid="miss-reason">
      {typeof explanation === 'string' && explanation && (
        <div className="cache-explanation">{explanation}</div>
      )}
      <MissReason reason={missReason} />
    </div>
  );
}

/** Fingerprint part names (see src/cache/explain-miss.ts) in words. */
function partLabel(name: string): string {
  if (name.startsWith('parameter:')) return `param ${name.slice('parameter:'.length)}`;
  if (name.startsWith('artifact:')) return `input ${name.slice('artifact:'.length)}`;
  if (name.startsWith('executor.')) return name.slice('executor.'.length);
  return name;
}

/**
 * The miss reason is JSON (`{firstRun: true}` or `{changed, added, removed}` today); known shapes read
 * as words, anything else as compact key: value pairs so a new shape still shows.
 */
function MissReason({ reason }: { reason: Json }) {
  if (typeof reason !== 'object' || reason === null || Array.isArray(reason))
    return <span className="mono">{jsonText(reason)}</span>;
  if (reason.firstRun === true) return <span>first run: nothing to reuse</span>;
  const parts = Object.entries(reason).filter(([, value]) => !(Array.isArray(value) && value.length === 0));
  const { changed, added, removed } = reason;
  const isPartsShape = [changed, added, removed].every(
    (value) => value === undefined || Array.isArray(value),
  );
  if (isPartsShape && parts.length === 0) return <span>key unchanged: no reusable result</span>;
  return (
    <span className="miss-reason">
      {parts.map(([key, value]) => (
        <span key={key}>
          <strong>{key}</strong>:{' '}
          {Array.isArray(value)
            ? value.map((item) => (typeof item === 'string' ? partLabel(item) : jsonText(item))).join(', ')
            : jsonText(value)}
        </span>
      ))}
    </span>
  );
}
