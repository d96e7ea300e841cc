/**
 * The DAG a UI draws: the pipeline's structure from the spec (so tasks not reached yet still show) with
 * each node's state from the run's task records. Loops and sub-DAGs are group nodes carrying counts of
 * their leaf tasks by state, so a 2,000-iteration fan-out is one node until someone opens it; a loop's body
 * is drawn once, its nodes aggregating every iteration, and the loop lists its iterations for a grid.
 *
 * Nodes are flat with a `parent` id; edges join siblings (KFP's dependentTasks never cross DAGs).
 */
import type { Json, TaskRecord } from '../store/index.ts';

export type GraphNodeKind = 'CONTAINER' | 'IMPORTER' | 'DAG' | 'LOOP';

export interface GraphIteration {
  index: number;
  path: string;
  state: string;
}

export interface GraphNode {
  /** Unique in the graph: the spec path (`for-loop-2/train`), loop iterations folded away. */
  id: string;
  name: string;
  kind: GraphNodeKind;
  component: string;
  parent: string | null;
  /** The node's state; for nodes inside a loop body, the summary over every iteration. */
  state: string;
  /** The runtime task path when exactly one task stands behind the node (not inside a loop body). */
  taskPath: string | null;
  cached: boolean;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Container and importer tasks under this node (or behind it, across iterations) by state. */
  counts: Record<string, number>;
  /** An exit handler: runs whatever happened to its upstream. */
  exitHandler: boolean;
  /** LOOP nodes: the iterations in order, with their states. */
  iterations?: GraphIteration[];
}

export interface GraphEdge {
  from: string;
  to: string;
}

export interface RunGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

type Obj = { [key: string]: Json };

const isObj = (value: Json | undefined): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NOT_STARTED = 'PENDING';
const FINAL_OK = new Set(['SUCCEEDED', 'CACHED', 'SKIPPED']);

/**
 * `document` is a pipeline document as stored (`{ pipelineSpec, platformSpec? }`) or a bare PipelineSpec;
 * `tasks` the run's task records (none for a pipeline version's preview).
 */
export function buildRunGraph(document: Json, tasks: ReadonlyArray<TaskRecord> = []): RunGraph {
  const spec = isObj(document) && isObj(document.pipelineSpec) ? document.pipelineSpec : document;
  const components = isObj(spec) && isObj(spec.components) ? spec.components : {};
  const root = isObj(spec) && isObj(spec.root) ? spec.root : {};
  const byPath = new Map(tasks.map((task) => [task.path, task]));
  const children = new Map<string, TaskRecord[]>();
  for (const task of tasks) {
    if (task.parentId === null) continue;
    const list = children.get(task.parentId);
    if (list) list.push(task);
    else children.set(task.parentId, [task]);
  }
  const graph: RunGraph = { nodes: [], edges: [] };

  /**
   * Adds one DAG's tasks. `instances` are the runtime path prefixes this DAG stands for: one for the root
   * and plain sub-DAGs, one per iteration inside a loop body (and their product for nested loops).
   */
  const addDag = (dag: Obj, parentId: string | null, instances: string[]): void => {
    const tasksSpec = isObj(dag.tasks) ? dag.tasks : {};
    for (const [name, taskSpec] of Object.entries(tasksSpec)) {
      if (!isObj(taskSpec)) continue;
      const id = parentId === null ? name : `${parentId}/${name}`;
      const componentRef = isObj(taskSpec.componentRef) ? taskSpec.componentRef : {};
      const componentName = typeof componentRef.name === 'string' ? componentRef.name : '';
      const component = isObj(components[componentName]) ? (components[componentName] as Obj) : {};
      const isLoop = isObj(taskSpec.parameterIterator) || isObj(taskSpec.artifactIterator);
      const subDag = isObj(component.dag) ? component.dag : undefined;
      const kind: GraphNodeKind = isLoop
        ? 'LOOP'
        : subDag
          ? 'DAG'
          : isObj(taskSpec.importer) || componentName.startsWith('comp-importer')
            ? 'IMPORTER'
            : 'CONTAINER';
      const paths = instances.map((prefix) => (prefix === '' ? name : `${prefix}/${name}`));
      const records = paths.map((path) => byPath.get(path)).filter((task) => task !== undefined);
      const node: GraphNode = {
        id,
        name,
        kind,
        component: componentName,
        parent: parentId,
        state: summaryState(records, paths.length),
        taskPath: instances.length === 1 ? paths[0]! : null,
        cached: records.length > 0 && records.every((task) => task.state === 'CACHED'),
        attempts: records.reduce((sum, task) => sum + task.attemptCount, 0),
        startedAt: earliest(records.map((task) => task.startedAt)),
        finishedAt: records.length === paths.length ? latest(records.map((task) => task.finishedAt)) : null,
        counts: {},
        exitHandler:
          isObj(taskSpec.triggerPolicy) && taskSpec.triggerPolicy.strategy === 'ALL_UPSTREAM_TASKS_COMPLETED',
      };
      graph.nodes.push(node);
      const dependencies = Array.isArray(taskSpec.dependentTasks) ? taskSpec.dependentTasks : [];
      for (const upstream of dependencies)
        if (typeof upstream === 'string' && upstream in tasksSpec)
          graph.edges.push({ from: parentId === null ? upstream : `${parentId}/${upstream}`, to: id });

      if (kind === 'CONTAINER' || kind === 'IMPORTER') {
        for (const task of records) node.counts[task.state] = (node.counts[task.state] ?? 0) + 1;
        const missing = paths.length - records.length;
        if (missing > 0) node.counts[NOT_STARTED] = (node.counts[NOT_STARTED] ?? 0) + missing;
        continue;
      }
      let bodyInstances = paths;
      if (kind === 'LOOP') {
        const iterations = records.flatMap((loop) =>
          (children.get(loop.id) ?? [])
            .filter((task) => task.kind === 'ITERATION')
            .sort((a, b) => (a.iterationIndex ?? 0) - (b.iterationIndex ?? 0)),
        );
        if (instances.length === 1)
          node.iterations = iterations.map((task) => ({
            index: task.iterationIndex ?? 0,
            path: task.path,
            state: task.state,
          }));
        bodyInstances = iterations.map((task) => task.path);
      }
      const first = graph.nodes.length;
      if (subDag) addDag(subDag, id, bodyInstances);
      // Leaf counts roll up: a group counts the leaves of every node it contains.
      for (let index = first; index < graph.nodes.length; index++) {
        const inner = graph.nodes[index]!;
        if (inner.parent !== id) continue;
        for (const [state, count] of Object.entries(inner.counts))
          node.counts[state] = (node.counts[state] ?? 0) + count;
      }
      if (records.length === 0 && kind === 'LOOP') node.state = NOT_STARTED;
    }
  };

  const rootDag = isObj(root.dag) ? root.dag : {};
  addDag(rootDag, null, ['']);
  return graph;
}

/** One state for the tasks behind a node: a single task's own state, else the most telling of many. */
function summaryState(records: ReadonlyArray<TaskRecord>, expected: number): string {
  if (expected === 1) return records[0]?.state ?? NOT_STARTED;
  if (records.length === 0) return NOT_STARTED;
  const states = new Set(records.map((task) => task.state));
  for (const state of ['RUNNING', 'RETRYING', 'FAILED', 'CANCELED'])
    if (states.has(state)) return state === 'RETRYING' ? 'RUNNING' : state;
  if (records.length < expected || states.has('PENDING')) return states.size === 1 ? 'PENDING' : 'RUNNING';
  if ([...states].every((state) => FINAL_OK.has(state)))
    return states.has('SUCCEEDED') ? 'SUCCEEDED' : states.has('CACHED') ? 'CACHED' : 'SKIPPED';
  return 'RUNNING';
}

function earliest(values: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  for (const value of values) if (value !== null && (best === null || value < best)) best = value;
  return best;
}

function latest(values: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  for (const value of values) {
    if (value === null) return null;
    if (best === null || value > best) best = value;
  }
  return best;
}
