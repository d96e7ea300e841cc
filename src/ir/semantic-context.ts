/**
 * Indexes the semantic checks share: every DAG (root and each DAG component) with its path, which tasks use
 * each component, and which task inputs the KFP compiler adds beyond a component's declared interface.
 * Built once per document; every accessor tolerates dangling names, since the checks report those themselves.
 */
import { collectExecutorReferences, type ExecutorReferences } from './executor-references.ts';
import { formatPath } from './issues.ts';
import { parsePlaceholders } from './placeholders.ts';
import type { ComponentSpec, ExecutorSpec, JsonValue, PipelineDocument, PipelineTaskSpec } from './spec.ts';

/** A DAG whose tasks are checked together: tasks see only siblings and the enclosing component's inputs. */
export interface DagScope {
  /** Path segments of the owning component: `['root']` or `['components', 'comp-for-loop-2']`. */
  path: string[];
  /** For messages: `the pipeline (root)` or `component comp-for-loop-2`. */
  label: string;
  component: ComponentSpec;
  tasks: Record<string, PipelineTaskSpec>;
}

/** One task and where it lives. */
export interface TaskSite {
  scope: DagScope;
  name: string;
  task: PipelineTaskSpec;
}

export interface SemanticContext {
  /** The document as the checks read it: a copy whose objects have no prototype (see ownCopy). */
  document: PipelineDocument;
  components: Record<string, ComponentSpec>;
  executors: Record<string, ExecutorSpec>;
  dags: DagScope[];
  /** Component name → the tasks (in any DAG) whose componentRef names it. */
  usersOf: Map<string, TaskSite[]>;
  /** Executor label → the names of the components whose executorLabel is it, in document order. */
  componentsRunning: Map<string, string[]>;
  /** Executor label → references in it (parsed once, shared by the checks that need them). */
  executorReferences(label: string): ExecutorReferences | undefined;
  /** Executor label → the input names its references read (once per label: a wide fan-in reads thousands). */
  executorInputNames(label: string): ReadonlySet<string>;
  /** constantPlaceholderNames, once per task: a task may ask once for each of thousands of inputs. */
  constantPlaceholderNames(task: PipelineTaskSpec): ReadonlySet<string>;
  /**
   * The keys of a map in the document (tasks of a DAG, inputs of a component …), listed once per map: a
   * did-you-mean needs them for each broken name, and a broken wide DAG has thousands of those.
   */
  namesOf(map: object | undefined): ReadonlyArray<string>;
}

export function buildSemanticContext(original: PipelineDocument): SemanticContext {
  const document = ownCopy(original) as PipelineDocument;
  const spec = record(document.pipelineSpec) as PipelineDocument['pipelineSpec'];
  const components = record(spec.components) as Record<string, ComponentSpec>;
  const executors = record(spec.deploymentSpec?.executors) as Record<string, ExecutorSpec>;
  const dags: DagScope[] = [];
  if (spec.root?.dag) dags.push(scopeOf(['root'], 'the pipeline (root)', spec.root));
  for (const [name, component] of Object.entries(components)) {
    if (component.dag) dags.push(scopeOf(['components', name], `component ${name}`, component));
  }
  const usersOf = new Map<string, TaskSite[]>();
  for (const scope of dags) {
    for (const [name, task] of Object.entries(scope.tasks)) {
      const ref = task.componentRef?.name;
      if (ref !== undefined) append(usersOf, ref, { scope, name, task });
    }
  }
  const componentsRunning = new Map<string, string[]>();
  for (const [name, component] of Object.entries(components)) {
    if (component.executorLabel !== undefined) append(componentsRunning, component.executorLabel, name);
  }
  const parsed = new Map<string, ExecutorReferences>();
  const executorReferences = (label: string): ExecutorReferences | undefined => {
    const executor = executors[label];
    if (!executor) return undefined;
    if (!parsed.has(label)) parsed.set(label, collectExecutorReferences(executor));
    return parsed.get(label);
  };
  const inputNames = new Map<string, ReadonlySet<string>>();
  const executorInputNames = (label: string): ReadonlySet<string> => {
    let names = inputNames.get(label);
    if (names === undefined) {
      const references = executorReferences(label)?.references ?? [];
      names = new Set(references.filter((r) => r.io === 'INPUT').map((r) => r.name));
      inputNames.set(label, names);
    }
    return names;
  };
  const placeholderNames = new WeakMap<PipelineTaskSpec, ReadonlySet<string>>();
  const taskPlaceholderNames = (task: PipelineTaskSpec): ReadonlySet<string> => {
    let names = placeholderNames.get(task);
    if (names === undefined) {
      names = constantPlaceholderNames(task);
      placeholderNames.set(task, names);
    }
    return names;
  };
  const keysByMap = new WeakMap<object, ReadonlyArray<string>>();
  const namesOf = (map: object | undefined): ReadonlyArray<string> => {
    if (typeof map !== 'object' || map === null) return [];
    let keys = keysByMap.get(map);
    if (keys === undefined) {
      keys = Object.keys(map);
      keysByMap.set(map, keys);
    }
    return keys;
  };
  return {
    document,
    components,
    executors,
    dags,
    usersOf,
    componentsRunning,
    executorReferences,
    executorInputNames,
    constantPlaceholderNames: taskPlaceholderNames,
    namesOf,
  };
}

function append<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

function scopeOf(path: string[], label: string, component: ComponentSpec): DagScope {
  return { path, label, component, tasks: record(component.dag?.tasks) as Record<string, PipelineTaskSpec> };
}

/**
 * A deep copy whose objects have no prototype, so looking up a user-chosen name (an input called
 * `constructor`, a task called `toString`) never finds an inherited member.
 */
function ownCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ownCopy);
  if (typeof value !== 'object' || value === null) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  // Object.keys, not Object.entries: no pair array per key, which a 10,000-task DAG feels.
  for (const key of Object.keys(value)) copy[key] = ownCopy((value as Record<string, unknown>)[key]);
  return copy;
}

/** The value when it is an object (a map in the document), else an empty one: checks never throw on odd input. */
function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : Object.create(null);
}

/** `root.dag.tasks.train.inputs.parameters.epochs` */
export function taskPath(site: { scope: DagScope; name: string }, ...rest: Array<string | number>): string {
  return formatPath([...site.scope.path, 'dag', 'tasks', site.name, ...rest]);
}

export function scopePath(scope: DagScope, ...rest: Array<string | number>): string {
  return formatPath([...scope.path, ...rest]);
}

/**
 * Whether a task may pass `name` although its component does not declare it. The KFP compiler adds such
 * inputs, and the driver resolves them by name, so they are part of the task, not typos:
 * - `pipelinechannel--…` channels that f-string constants, resource fields and conditions read;
 * - any input a `{{$.inputs.parameters['…']}}` in the task's constants or the component's executor reads;
 * - resource-field inputs (KFP ≥2.13: `cpu_limit: "{{$.inputs.parameters['pipelinechannel--cpu-limit-Output']}}"`),
 *   a constant that is exactly one input placeholder.
 */
const RESOURCE_FIELD_INPUT = /^\{\{\$\.inputs\.parameters\['[^']+'\]\}\}$/;

export function isCompilerAddedInput(
  context: SemanticContext,
  task: PipelineTaskSpec,
  name: string,
): boolean {
  if (name.startsWith('pipelinechannel--')) return true;
  const constant = task.inputs?.parameters?.[name]?.runtimeValue?.constant;
  if (typeof constant === 'string' && RESOURCE_FIELD_INPUT.test(constant)) return true;
  if (context.constantPlaceholderNames(task).has(name)) return true;
  const component = context.components[task.componentRef?.name ?? ''];
  const label = component?.executorLabel;
  return label !== undefined && context.executorInputNames(label).has(name);
}

/** Input names that `{{$.inputs.parameters['…']}}` placeholders in a task's constant values read. */
export function constantPlaceholderNames(task: PipelineTaskSpec): Set<string> {
  const names = new Set<string>();
  for (const input of Object.values(task.inputs?.parameters ?? {})) {
    forEachString(input.runtimeValue?.constant, (text) => {
      for (const segment of parsePlaceholders(text).segments) {
        if (segment.type === 'PLACEHOLDER' && segment.placeholder.kind === 'INPUT_PARAMETER') {
          names.add(segment.placeholder.name);
        }
      }
    });
  }
  return names;
}

/** Calls `visit` for every string in a JSON value (object keys included), with its path below the value. */
export function forEachString(
  value: JsonValue | undefined,
  visit: (text: string, path: Array<string | number>) => void,
  path: Array<string | number> = [],
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) forEachString(item, visit, [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      visit(key, [...path, key]);
      forEachString(item, visit, [...path, key]);
    }
  }
}
