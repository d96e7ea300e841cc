/**
 * Everything `sluice show` and the API say about a run, gathered from the store: the summary (`run --json`'s object)
 * plus parameters, pipeline outputs, metrics, models and failures with the last lines of their logs.
 * Metrics and models come from the tasks' recorded outputs, so a cache hit shows the metrics it reused.
 */
import { readLogTail } from '../executors/index.ts';
import type { AttemptRecord, Json, RunDetail, RunStore, TaskRecord } from '../store/index.ts';
import { type RunSummary, summarizeTasks, type TaskSummary } from './run-summary.ts';
import { isFinalRun } from './task-state.ts';

export interface ReportedArtifact {
  task: string;
  name: string;
  uri: string;
  schemaTitle: string;
  metadata: { [key: string]: Json };
  /** Models only: true when no task of the run used it (a result rather than an intermediate). */
  final?: boolean;
}

export interface ReportedFailure {
  task: string;
  attempt: number;
  message: string;
  exitCode: number | null;
  logPath: string | null;
  /** The last lines the task printed. */
  logTail: string[];
}

export interface RunReport extends RunSummary {
  displayName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  parameters: { [name: string]: Json };
  /** The pipeline's own outputs (parameters by name; artifacts as URIs). */
  outputs: { parameters: { [name: string]: Json }; artifacts: { [name: string]: string[] } };
  metrics: ReportedArtifact[];
  models: ReportedArtifact[];
  failures: ReportedFailure[];
}

const LOG_TAIL_LINES = 10;

interface StoredValues {
  parameters?: { [name: string]: Json };
  artifacts?: {
    [name: string]: { uri: string; schemaTitle: string; metadata?: { [key: string]: Json } }[];
  };
}

export async function reportRun(store: RunStore, runId: string): Promise<RunReport> {
  const detail = await store.getRunDetail(runId);
  if (!detail) throw new Error(`internal: run ${runId} vanished`);
  return reportOfDetail(detail);
}

/**
 * The report of a run as getRunDetail read it: from its saved body when one is current, else built from its
 * tasks and attempts. The run's own fields (state, names, times) always come from its row.
 */
export async function reportOfDetail(detail: RunDetail): Promise<RunReport> {
  const run = detail.summary;
  const body =
    detail.savedReport !== undefined
      ? (detail.savedReport as unknown as ReportBody)
      : await reportBodyOf(detail.tasks, detail.attempts);
  return {
    runId: run.id,
    pipeline: run.pipelineName,
    state: run.state,
    tasks: body.tasks,
    ...(run.error ? { error: run.error.message } : {}),
    displayName: run.displayName,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    parameters: body.parameters,
    outputs: body.outputs,
    metrics: body.metrics,
    models: body.models,
    failures: body.failures,
  };
}

/**
 * Saves a final run's report body, so that every later read takes it from one row instead of building it
 * from all its tasks and attempts (RunStore.saveRunReport; a retry makes it stale, and the retried run's
 * end saves a new one). Nothing to do for a run that is not final or whose report is saved already.
 * Returns whether it saved one.
 */
export async function saveFinalReport(store: RunStore, runId: string): Promise<boolean> {
  const detail = await store.getRunDetail(runId);
  if (
    detail === undefined ||
    detail.savedReport !== undefined ||
    detail.newestTransition === null ||
    !isFinalRun(detail.summary.state as never)
  )
    return false;
  const body = await reportBodyOf(detail.tasks, detail.attempts);
  return store.saveRunReport(runId, detail.newestTransition, body as unknown as Json);
}

/** The part of a report that comes from a run's tasks and attempts: what saveFinalReport saves. */
interface ReportBody {
  tasks: TaskSummary[];
  parameters: RunReport['parameters'];
  outputs: RunReport['outputs'];
  metrics: ReportedArtifact[];
  models: ReportedArtifact[];
  failures: ReportedFailure[];
}

async function reportBodyOf(
  tasks: ReadonlyArray<TaskRecord>,
  attempts: ReadonlyArray<AttemptRecord>,
): Promise<ReportBody> {
  const root = tasks.find((task) => task.parentId === null);
  const rootInputs = (root?.inputs ?? {}) as StoredValues;
  const rootOutputs = (root?.outputs ?? {}) as StoredValues;
  const metrics: ReportedArtifact[] = [];
  const models: ReportedArtifact[] = [];
  for (const task of tasks) {
    if (task.kind !== 'CONTAINER' && task.kind !== 'IMPORTER') continue;
    for (const [name, refs] of Object.entries((task.outputs as StoredValues | null)?.artifacts ?? {})) {
      for (const ref of refs) {
        const entry = {
          task: task.path,
          name,
          uri: ref.uri,
          schemaTitle: ref.schemaTitle,
          metadata: ref.metadata ?? {},
        };
        if (ref.schemaTitle === 'system.Metrics' || ref.schemaTitle === 'system.ClassificationMetrics')
          metrics.push(entry);
        else if (ref.schemaTitle === 'system.Model') models.push(entry);
      }
    }
  }
  // Models no task of the run went on to use are its results (a registered model, say); the others were
  // steps on the way (candidates a later task chose from).
  const consumed = new Set<string>();
  for (const task of tasks)
    for (const refs of Object.values((task.inputs as StoredValues | null)?.artifacts ?? {}))
      for (const ref of refs) consumed.add(ref.uri);
  for (const model of models) model.final = !consumed.has(model.uri);
  metrics.sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  return {
    tasks: summarizeTasks(tasks),
    parameters: rootInputs.parameters ?? {},
    outputs: {
      parameters: rootOutputs.parameters ?? {},
      artifacts: Object.fromEntries(
        Object.entries(rootOutputs.artifacts ?? {}).map(([name, refs]) => [name, refs.map((ref) => ref.uri)]),
      ),
    },
    metrics,
    models,
    failures: await failuresOf(tasks, attempts),
  };
}

/** Failed leaf tasks with their last attempt's log tail; groups only repeat their children's failures. */
async function failuresOf(
  tasks: ReadonlyArray<TaskRecord>,
  attempts: ReadonlyArray<AttemptRecord>,
): Promise<ReportedFailure[]> {
  const lastAttempt = new Map<string, AttemptRecord>();
  for (const attempt of attempts) {
    const known = lastAttempt.get(attempt.taskId);
    if (!known || known.number < attempt.number) lastAttempt.set(attempt.taskId, attempt);
  }
  const parents = new Set(tasks.map((task) => task.parentId));
  const failed = tasks.filter(
    (task) =>
      task.state === 'FAILED' &&
      (task.kind === 'CONTAINER' || task.kind === 'IMPORTER' || !parents.has(task.id)),
  );
  return Promise.all(
    failed.map(async (task) => {
      const attempt = lastAttempt.get(task.id);
      return {
        task: task.path,
        attempt: attempt?.number ?? 0,
        message: task.error?.message ?? attempt?.error?.message ?? 'failed',
        exitCode: attempt?.exitCode ?? null,
        logPath: attempt?.logPath ?? null,
        logTail: attempt ? await readLogTail(attempt.logPath, LOG_TAIL_LINES) : [],
      };
    }),
  );
}
