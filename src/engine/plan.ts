/**
 * The static side of a run: lookups into the PipelineSpec the engine needs for every task (its component,
 * executor, timeout, the order and dependents of a DAG's tasks). Built once per run from the stored IR; the
 * dynamic side (which tasks exist, their states) lives in run-tree.ts.
 */
import type {
  ComponentSpec,
  ExecutorSpec,
  PipelineDocument,
  PipelineSpec,
  PipelineTaskSpec,
} from '../ir/index.ts';

export interface DagPlan {
  /** Task specs by name, in an order where every task comes after the tasks it depends on. */
  readonly tasks: ReadonlyArray<[string, PipelineTaskSpec]>;
  /** Task name → names of the tasks that depend on it (dependentTasks, producer references). */
  readonly dependents: ReadonlyMap<string, ReadonlyArray<string>>;
  /** Task name → names it waits for. */
  readonly upstream: ReadonlyMap<string, ReadonlyArray<string>>;
}

export class RunPlan {
  readonly spec: PipelineSpec;
  private readonly dags = new Map<string, DagPlan>();

  constructor(readonly document: PipelineDocument) {
    this.spec = document.pipelineSpec;
  }

  get pipelineName(): string {
    return this.spec.pipelineInfo?.name ?? 'pipeline';
  }

  component(name: string): ComponentSpec {
    const component = name === 'root' ? this.spec.root : this.spec.components?.[name];
    if (!component) throw new Error(`internal: component '${name}' is not in the pipeline`);
    return component;
  }

  executor(component: ComponentSpec): ExecutorSpec {
    const label = component.executorLabel;
    const executor = label ? this.spec.deploymentSpec?.executors?.[label] : undefined;
    if (!executor) throw new Error(`internal: executor '${label}' is not in the pipeline`);
    return executor;
  }

  /** `activeDeadlineSeconds` of the executor's Kubernetes config (KFP's kubernetes.set_timeout). */
  timeoutSeconds(component: ComponentSpec): number | undefined {
    const label = component.executorLabel;
    const config = label
      ? this.document.platformSpec?.platforms?.kubernetes?.deploymentSpec?.executors?.[label]
      : undefined;
    const value = config?.activeDeadlineSeconds;
    const seconds = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : undefined;
    return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  }

  dag(componentName: string): DagPlan {
    let plan = this.dags.get(componentName);
    if (!plan) {
      plan = planDag(this.component(componentName).dag?.tasks ?? {});
      this.dags.set(componentName, plan);
    }
    return plan;
  }
}

/** A task waits for its dependentTasks and for every sibling it reads an output or final status from. */
export function upstreamOf(task: PipelineTaskSpec): string[] {
  const names = new Set(task.dependentTasks ?? []);
  for (const input of Object.values(task.inputs?.parameters ?? {})) {
    if (input.taskOutputParameter?.producerTask) names.add(input.taskOutputParameter.producerTask);
    if (input.taskFinalStatus?.producerTask) names.add(input.taskFinalStatus.producerTask);
  }
  for (const input of Object.values(task.inputs?.artifacts ?? {})) {
    if (input.taskOutputArtifact?.producerTask) names.add(input.taskOutputArtifact.producerTask);
  }
  return [...names];
}

function planDag(tasks: Record<string, PipelineTaskSpec>): DagPlan {
  const upstream = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  for (const [name, task] of Object.entries(tasks)) {
    const before = upstreamOf(task).filter((other) => other in tasks);
    upstream.set(name, before);
    for (const other of before) {
      const list = dependents.get(other) ?? [];
      list.push(name);
      dependents.set(other, list);
    }
  }
  // Kahn's order; validation rejects cycles before a run starts, so every task is placed.
  const remaining = new Map([...upstream].map(([name, before]) => [name, before.length]));
  const ready = [...remaining].filter(([, count]) => count === 0).map(([name]) => name);
  const order: [string, PipelineTaskSpec][] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push([name, tasks[name]!]);
    for (const next of dependents.get(name) ?? []) {
      const count = remaining.get(next)! - 1;
      remaining.set(next, count);
      if (count === 0) ready.push(next);
    }
  }
  return { tasks: order, dependents, upstream };
}
