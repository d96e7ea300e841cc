/**
 * Lineage as a user asks it: "which data, parameters, code and runs produced this model, and what used
 * it?". Walks the stored lineage events from an artifact (or a task) upstream through producers and their
 * inputs, and downstream through consumers and their outputs, across runs: a cache hit's outputs are the
 * artifacts of the run that made them, so the walk crosses into that run, as the data did.
 */
import { SluiceError } from '../errors.ts';
import type { ArtifactRecord, Json, LineageEventRecord, RunRecord, TaskRecord } from './records.ts';
import type { RunStore } from './store.ts';

export interface LineageArtifact {
  id: string;
  /** The output key on the producing task. */
  name: string;
  uri: string;
  schemaTitle: string;
  digest: string | null;
  metadata: { [key: string]: Json };
  runId: string;
  /** Path of the task that produced (or imported) it, in its run. */
  producer: string;
  producerTaskId: string;
}

export interface LineageTask {
  runId: string;
  pipeline: string;
  runCreatedAt: string;
  taskId: string;
  path: string;
  state: string;
  kind: string;
  component: string;
  /** Input parameters as the task received them. */
  parameters: { [key: string]: Json };
  /** What ran: the container image and command words (null for importers and groups). */
  code: { image: string; command: string[] } | null;
  /** Set when the task reused another task's result: that task's run and path. */
  cachedFrom: { runId: string; path: string } | null;
  inputs: { key: string; artifact: LineageArtifact }[];
  outputs: { key: string; artifact: LineageArtifact }[];
  /** Steps from the subject: 0 for the subject's own producer (or the subject task). */
  depth: number;
}

export interface LineageGraph {
  /** The artifacts asked about (one URI may have been recorded in several runs), or those of the task. */
  artifacts: LineageArtifact[];
  /** Producers and everything upstream of them, nearest first. */
  upstream: LineageTask[];
  /** Consumers and everything downstream, nearest first. */
  downstream: LineageTask[];
  /** True when the walk stopped at `maxTasks` on a side. */
  truncated: boolean;
}

export type LineageSubject = { uri: string } | { runId: string; taskPath: string };

export class LineageSubjectNotFoundError extends SluiceError {
  constructor(message: string) {
    super('LINEAGE_SUBJECT_NOT_FOUND', message);
  }
}

/** Reads lineage through a RunStore, caching what one walk reads more than once (runs, their events). */
export async function traceLineage(
  store: RunStore,
  subject: LineageSubject,
  options: { maxTasks?: number } = {},
): Promise<LineageGraph> {
  const maxTasks = options.maxTasks ?? 200;
  const reader = new LineageReader(store);
  let startArtifacts: ArtifactRecord[];
  let startTasks: TaskRecord[];
  if ('uri' in subject) {
    startArtifacts = await store.getArtifactsByUri(subject.uri);
    if (startArtifacts.length === 0)
      throw new LineageSubjectNotFoundError(
        `no artifact with URI '${subject.uri}' is recorded in this store`,
      );
    startTasks = await reader.tasks(startArtifacts.map((artifact) => artifact.taskId));
  } else {
    const task = (await store.getTasks(subject.runId)).find((t) => t.path === subject.taskPath);
    if (!task) {
      throw new LineageSubjectNotFoundError(`run ${subject.runId} has no task '${subject.taskPath}'`);
    }
    startTasks = [task];
    startArtifacts = await reader.artifactsOf(task, 'OUTPUT');
  }

  let truncated = false;
  const upstream: LineageTask[] = [];
  const seenUp = new Set<string>();
  let frontier = startTasks;
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: TaskRecord[] = [];
    for (const task of frontier) {
      if (seenUp.has(task.id)) continue;
      if (upstream.length >= maxTasks) {
        truncated = true;
        break;
      }
      seenUp.add(task.id);
      const described = await reader.describe(task, depth);
      upstream.push(described);
      next.push(...(await reader.tasks(described.inputs.map((input) => input.artifact.producerTaskId))));
    }
    frontier = next;
  }

  const downstream: LineageTask[] = [];
  const seenDown = new Set<string>(startTasks.map((task) => task.id));
  let artifacts = startArtifacts;
  for (let depth = 0; artifacts.length > 0; depth++) {
    const nextArtifacts: ArtifactRecord[] = [];
    for (const artifact of artifacts) {
      const consumers = (await store.getLineage({ artifactId: artifact.id })).filter(
        (event) => event.kind === 'INPUT' && !seenDown.has(event.taskId),
      );
      for (const task of await reader.tasks(consumers.map((event) => event.taskId))) {
        if (seenDown.has(task.id)) continue;
        if (downstream.length >= maxTasks) {
          truncated = true;
          break;
        }
        seenDown.add(task.id);
        const described = await reader.describe(task, depth);
        downstream.push(described);
        nextArtifacts.push(...(await reader.artifactsOf(task, 'OUTPUT')));
      }
    }
    artifacts = nextArtifacts;
  }

  return {
    artifacts: await Promise.all(startArtifacts.map((artifact) => reader.artifact(artifact))),
    upstream,
    downstream,
    truncated,
  };
}

class LineageReader {
  private readonly runs = new Map<string, Promise<RunRecord | undefined>>();
  private readonly events = new Map<string, Promise<LineageEventRecord[]>>();
  private readonly taskRecords = new Map<string, Promise<TaskRecord | undefined>>();

  constructor(private readonly store: RunStore) {}

  run(runId: string): Promise<RunRecord | undefined> {
    let run = this.runs.get(runId);
    if (!run) this.runs.set(runId, (run = this.store.getRun(runId)));
    return run;
  }

  async tasks(ids: ReadonlyArray<string>): Promise<TaskRecord[]> {
    const found = await Promise.all(
      [...new Set(ids)].map((id) => {
        let task = this.taskRecords.get(id);
        if (!task) this.taskRecords.set(id, (task = this.store.getTask(id)));
        return task;
      }),
    );
    return found.filter((task): task is TaskRecord => task !== undefined);
  }

  private runEvents(runId: string): Promise<LineageEventRecord[]> {
    let events = this.events.get(runId);
    if (!events) this.events.set(runId, (events = this.store.getLineage({ runId })));
    return events;
  }

  async artifactsOf(task: TaskRecord, kind: 'INPUT' | 'OUTPUT'): Promise<ArtifactRecord[]> {
    const events = (await this.runEvents(task.runId)).filter(
      (event) => event.taskId === task.id && event.kind === kind,
    );
    const found = await Promise.all(events.map((event) => this.store.getArtifact(event.artifactId)));
    return found.filter((artifact): artifact is ArtifactRecord => artifact !== undefined);
  }

  async artifact(record: ArtifactRecord): Promise<LineageArtifact> {
    const [producer] = await this.tasks([record.taskId]);
    return {
      id: record.id,
      name: record.name,
      uri: record.uri,
      schemaTitle: record.schemaTitle,
      digest: record.digest,
      metadata: record.metadata,
      runId: record.runId,
      producer: producer?.path ?? '(unknown task)',
      producerTaskId: record.taskId,
    };
  }

  async describe(task: TaskRecord, depth: number): Promise<LineageTask> {
    const run = await this.run(task.runId);
    const events = (await this.runEvents(task.runId)).filter((event) => event.taskId === task.id);
    const withArtifacts = async (kind: 'INPUT' | 'OUTPUT') => {
      const seen = new Set<string>();
      const list: { key: string; artifact: LineageArtifact }[] = [];
      for (const event of events) {
        // A retried task records its inputs once per evaluation; one line each is enough.
        if (event.kind !== kind || seen.has(`${event.key}\0${event.artifactId}`)) continue;
        seen.add(`${event.key}\0${event.artifactId}`);
        const record = await this.store.getArtifact(event.artifactId);
        if (record) list.push({ key: event.key, artifact: await this.artifact(record) });
      }
      return list;
    };
    const [cachedFrom] = task.cachedFromTaskId ? await this.tasks([task.cachedFromTaskId]) : [];
    const inputs = (task.inputs ?? {}) as { parameters?: { [key: string]: Json } };
    return {
      runId: task.runId,
      pipeline: run?.pipelineName ?? '(unknown pipeline)',
      runCreatedAt: run?.createdAt ?? '',
      taskId: task.id,
      path: task.path,
      state: task.state,
      kind: task.kind,
      component: task.componentName,
      parameters: inputs.parameters ?? {},
      code: codeOf(run, task),
      cachedFrom: cachedFrom ? { runId: cachedFrom.runId, path: cachedFrom.path } : null,
      inputs: await withArtifacts('INPUT'),
      outputs: await withArtifacts('OUTPUT'),
      depth,
    };
  }
}

/**
 * What ran for a task, from its run's pipeline spec: the image and command words, with the arguments that
 * name code (a TypeScript function component's module, export and code digest; KFP's function name).
 */
function codeOf(run: RunRecord | undefined, task: TaskRecord): LineageTask['code'] {
  const spec = (run?.spec ?? null) as {
    pipelineSpec?: {
      components?: Record<string, { executorLabel?: string }>;
      deploymentSpec?: {
        executors?: Record<string, { container?: { image?: string; command?: string[]; args?: string[] } }>;
      };
    };
  } | null;
  const label = spec?.pipelineSpec?.components?.[task.componentName]?.executorLabel;
  const container = label ? spec?.pipelineSpec?.deploymentSpec?.executors?.[label]?.container : undefined;
  if (!container) return null;
  const args = container.args ?? [];
  const naming = ['--module', '--export', '--code-digest', '--function_to_execute'].flatMap((flag) => {
    const at = args.indexOf(flag);
    return at >= 0 && at + 1 < args.length ? [flag, args[at + 1]!] : [];
  });
  return { image: container.image ?? '', command: [...(container.command ?? []), ...naming] };
}
