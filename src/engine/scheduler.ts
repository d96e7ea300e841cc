/**
 * Which waiting container tasks start now: first come first served, while a process slot is free
 * (`parallelism`) and the task's CPU and memory requests fit what running tasks leave of this machine. A
 * task asking for more than the machine has fails at once, saying so, instead of waiting forever.
 */
import { availableParallelism, totalmem } from 'node:os';
import { parseCpuQuantity, parseMemoryQuantity } from '../ir/index.ts';
import { startAttempt } from './attempts.ts';
import { fail } from './completion.ts';
import type { RunContext } from './run-context.ts';
import type { TaskNode } from './run-tree.ts';

export interface MachineBudget {
  cpus: number;
  memoryBytes: number;
  accelerators: number;
}

export function machineBudget(): MachineBudget {
  const gpus = Number(process.env.SLUICE_ACCELERATORS ?? '0');
  return {
    cpus: availableParallelism(),
    memoryBytes: totalmem(),
    accelerators: Number.isFinite(gpus) ? gpus : 0,
  };
}

interface Requests {
  cpus: number;
  memoryBytes: number;
  accelerators: number;
}

export async function startWaitingTasks(context: RunContext, budget: MachineBudget): Promise<void> {
  let startedNow: Requests[] = [];
  const inUse = (): Requests => {
    const total = { cpus: 0, memoryBytes: 0, accelerators: 0 };
    for (const requests of [
      ...[...context.inFlight.values()].map((flight) => requestsOf(context, flight.node)),
      ...startedNow,
    ]) {
      total.cpus += requests.cpus;
      total.memoryBytes += requests.memoryBytes;
      total.accelerators += requests.accelerators;
    }
    return total;
  };
  const waiting: TaskNode[] = [];
  while (context.toStart.length > 0) {
    if (context.inFlight.size + startedNow.length >= context.options.parallelism) break;
    const node = context.toStart.shift()!;
    if (node.isFinal) continue;
    const requests = requestsOf(context, node);
    const tooBig = exceeds(requests, budget);
    if (tooBig) {
      fail(context, node, tooBig);
      continue;
    }
    const used = inUse();
    const running = context.inFlight.size + startedNow.length;
    const fits =
      used.cpus + requests.cpus <= budget.cpus &&
      used.memoryBytes + requests.memoryBytes <= budget.memoryBytes &&
      used.accelerators + requests.accelerators <= budget.accelerators;
    if (!fits && running > 0) {
      waiting.push(node);
      continue;
    }
    if (await startAttempt(context, node)) startedNow.push(requests);
  }
  context.toStart.unshift(...waiting);
  startedNow = [];
}

function exceeds(requests: Requests, budget: MachineBudget): string | undefined {
  if (requests.cpus > budget.cpus)
    return `the task requests ${requests.cpus} CPUs; this machine has ${budget.cpus}`;
  if (requests.memoryBytes > budget.memoryBytes) {
    return `the task requests ${gib(requests.memoryBytes)} GiB of memory; this machine has ${gib(budget.memoryBytes)} GiB`;
  }
  if (requests.accelerators > budget.accelerators) {
    return `the task requests ${requests.accelerators} accelerator(s); this machine offers ${budget.accelerators} (set SLUICE_ACCELERATORS to the number of GPUs it has)`;
  }
  return undefined;
}

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);

/** CPU and memory requests (falling back to limits, as Kubernetes does) and accelerators of a task. */
function requestsOf(context: RunContext, node: TaskNode): Requests {
  const component = context.plan.component(node.record.componentName);
  const resources = context.plan.executor(component).container?.resources;
  if (!resources) return { cpus: 0, memoryBytes: 0, accelerators: 0 };
  const cpu = resources.resourceCpuRequest ?? resources.resourceCpuLimit;
  const memory = resources.resourceMemoryRequest ?? resources.resourceMemoryLimit;
  const count = resources.accelerator?.resourceCount ?? resources.accelerator?.count;
  return {
    cpus:
      cpu !== undefined ? (parseCpuQuantity(cpu) ?? 0) : (resources.cpuRequest ?? resources.cpuLimit ?? 0),
    memoryBytes:
      memory !== undefined
        ? (parseMemoryQuantity(memory) ?? 0)
        : (resources.memoryRequest ?? resources.memoryLimit ?? 0) * 1e9,
    accelerators: count !== undefined ? Number(count) || 0 : 0,
  };
}
