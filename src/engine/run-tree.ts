/**
 * The tasks of one run as a tree in memory: the root DAG, its tasks, loops and their iterations, nested
 * DAGs. Each node wraps its stored TaskRecord (the record is the truth; fields here are derived indexes).
 * Nodes are created when their DAG or loop starts, and rebuilt from the store when a run is resumed.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue, PipelineTaskSpec } from '../ir/index.ts';
import type { TaskKind, TaskRecord } from '../store/index.ts';
import type { RunPlan } from './plan.ts';
import { isFinalTask, type TaskState } from './task-state.ts';

/** An artifact as tasks pass it around: the stored artifact's id and what consumers need of it. */
export interface ArtifactRef {
  id: string;
  name: string;
  uri: string;
  schemaTitle: string;
  schemaVersion: string;
  metadata: Record<string, JsonValue>;
  digest: string | null;
}

/** Resolved inputs or outputs: parameter values and artifact lists, by name. Absent = not provided. */
export interface TaskValues {
  parameters: Record<string, JsonValue>;
  artifacts: Record<string, ArtifactRef[]>;
}

export const emptyValues = (): TaskValues => ({ parameters: {}, artifacts: {} });

export class TaskNode {
  /** Children by task name (DAG and ITERATION nodes). */
  readonly children = new Map<string, TaskNode>();
  /** Iterations in order (LOOP nodes). */
  readonly iterations: TaskNode[] = [];
  /** Upstream siblings not yet final; the node is evaluated when this reaches 0. */
  waitingOn = 0;
  /** Set while the node sits in the evaluation queue, so it is never queued twice. */
  queued = false;

  constructor(
    readonly record: TaskRecord,
    readonly parent: TaskNode | undefined,
    /** The task spec in its parent DAG; undefined for the root DAG and for iterations. */
    readonly spec: PipelineTaskSpec | undefined,
  ) {}

  get state(): TaskState {
    return this.record.state as TaskState;
  }
  get kind(): TaskKind {
    return this.record.kind;
  }
  get isFinal(): boolean {
    return isFinalTask(this.state);
  }
  get inputs(): TaskValues | undefined {
    return (this.record.inputs as unknown as TaskValues | null) ?? undefined;
  }
  get outputs(): TaskValues | undefined {
    return (this.record.outputs as unknown as TaskValues | null) ?? undefined;
  }
  /** The DAG whose siblings this node depends on (its parent DAG or iteration). */
  get siblings(): ReadonlyMap<string, TaskNode> {
    return this.parent?.children ?? new Map();
  }
}

export function newTaskRecord(fields: {
  runId: string;
  parent: TaskNode | undefined;
  name: string;
  kind: TaskKind;
  componentName: string;
  iterationIndex?: number;
  now: string;
}): TaskRecord {
  const { parent, name } = fields;
  let path: string;
  if (!parent) path = name;
  else if (fields.kind === 'ITERATION') path = `${parent.record.path}${name}`;
  else path = parent.record.parentId === null ? name : `${parent.record.path}/${name}`;
  return {
    id: randomUUID(),
    runId: fields.runId,
    parentId: parent?.record.id ?? null,
    name,
    path,
    kind: fields.kind,
    componentName: fields.componentName,
    iterationIndex: fields.iterationIndex ?? null,
    state: 'PENDING',
    inputs: null,
    outputs: null,
    fingerprint: null,
    fingerprintParts: null,
    cachedFromTaskId: null,
    cacheMissReason: null,
    error: null,
    attemptCount: 0,
    createdAt: fields.now,
    startedAt: null,
    finishedAt: null,
  };
}

/** What kind of task a DAG task spec is: a loop, a nested DAG, or an executor's kind. */
export function kindOf(plan: RunPlan, spec: PipelineTaskSpec): TaskKind {
  if (spec.parameterIterator || spec.artifactIterator) return 'LOOP';
  const component = plan.component(spec.componentRef?.name ?? '');
  if (component.dag) return 'DAG';
  return plan.executor(component).importer ? 'IMPORTER' : 'CONTAINER';
}

/**
 * Rebuilds the tree from stored records (resume): links children to parents and restores each node's
 * task spec from the plan. Returns the root, or undefined if the run has none.
 */
export function rebuildTree(plan: RunPlan, records: ReadonlyArray<TaskRecord>): TaskNode | undefined {
  const recordsById = new Map(records.map((record) => [record.id, record]));
  const nodes = new Map<string, TaskNode | null>();
  let root: TaskNode | undefined;
  // Parents are placed before their children whatever order the rows come in.
  const place = (record: TaskRecord): TaskNode | null => {
    const known = nodes.get(record.id);
    if (known !== undefined) return known;
    const parentRecord = record.parentId ? recordsById.get(record.parentId) : undefined;
    const parent = parentRecord ? place(parentRecord) : undefined;
    if (record.parentId && !parent) {
      nodes.set(record.id, null); // its parent row is missing: it cannot be placed
      return null;
    }
    const spec =
      parent && record.kind !== 'ITERATION'
        ? plan.component(parent.record.componentName).dag?.tasks?.[record.name]
        : undefined;
    const node = new TaskNode(record, parent ?? undefined, spec);
    nodes.set(record.id, node);
    if (!parent) root = node;
    else if (record.kind === 'ITERATION')
      parent.iterations[record.iterationIndex ?? parent.iterations.length] = node;
    else parent.children.set(record.name, node);
    return node;
  };
  for (const record of records) place(record);
  return root;
}
