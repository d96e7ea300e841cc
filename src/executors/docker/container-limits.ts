/**
 * A container spec's resource limits as docker flags: `--cpus`, `--memory` (bytes) and, for NVIDIA
 * accelerators, `--gpus` (needs the NVIDIA container toolkit on the Docker host). Requests are not limits
 * and are left to the engine's scheduler. Values may be placeholders (a limit set from a pipeline
 * parameter); one that does not resolve or parse sets no flag rather than failing the task, as the
 * scheduler counts it as zero. The parsers mirror engine/scheduler.ts, which executors may not import.
 */
import { parseCpuQuantity, parseMemoryQuantity, type ResourceSpec } from '../../ir/index.ts';
import { type PlaceholderContext, resolveArgument } from '../../runtime/index.ts';

export interface ContainerLimits {
  cpus?: number;
  memoryBytes?: number;
  gpus?: number;
}

export function containerLimits(
  resources: ResourceSpec | undefined,
  context: PlaceholderContext,
): ContainerLimits {
  if (!resources) return {};
  const value = (text: string | undefined) => (text === undefined ? undefined : resolved(text, context));
  const limits: ContainerLimits = {};
  const cpuText = value(resources.resourceCpuLimit);
  const cpus = cpuText !== undefined ? parseCpuQuantity(cpuText) : resources.cpuLimit;
  if (cpus !== undefined && cpus > 0) limits.cpus = cpus;
  const memoryText = value(resources.resourceMemoryLimit);
  // The deprecated numeric field is in GB (KFP v1's set_memory_limit).
  const memory =
    memoryText !== undefined ? parseMemoryQuantity(memoryText) : (resources.memoryLimit ?? 0) * 1e9;
  if (memory !== undefined && memory >= 1) limits.memoryBytes = Math.round(memory);
  const accelerator = resources.accelerator;
  const type = value(accelerator?.resourceType) ?? value(accelerator?.type) ?? '';
  const count = Number(value(accelerator?.resourceCount) ?? accelerator?.count ?? 0);
  if (/nvidia/i.test(type) && Number.isInteger(count) && count > 0) limits.gpus = count;
  return limits;
}

function resolved(text: string, context: PlaceholderContext): string | undefined {
  try {
    return resolveArgument(text, context)[0];
  } catch {
    return undefined;
  }
}
