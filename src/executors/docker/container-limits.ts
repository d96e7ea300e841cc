/**
 * A container spec's resource limits as docker flags: `--cpus`, `--memory` (bytes) and, for NVIDIA
 * accelerators, `--gpus` (needs the NVIDIA container toolkit on the Docker host). Requests are not limits
 * and are left to the engine's scheduler. Values may be placeholders (a limit set from a pipeline
 * parameter); one that does not resolve or parse sets no flag rather than failing the task, as the
 * scheduler counts it as zero. The parsers mirror engine/scheduler.ts, which executors may not import.
 */
import type { ResourceSpec } from '../../ir/index.ts';
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
  const cpus = cpuText !== undefined ? parseCpu(cpuText) : resources.cpuLimit;
  if (cpus !== undefined && cpus > 0) limits.cpus = cpus;
  const memoryText = value(resources.resourceMemoryLimit);
  // The deprecated numeric field is in GB (KFP v1's set_memory_limit).
  const memory = memoryText !== undefined ? parseMemory(memoryText) : (resources.memoryLimit ?? 0) * 1e9;
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

/** `2`, `0.5`, `500m` → cores. */
export function parseCpu(value: string): number | undefined {
  const number = value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? number : undefined;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Kubernetes quantities (`4G`, `512Mi`, `1e9`…) → bytes. */
export function parseMemory(value: string): number | undefined {
  const match = /^([0-9]*\.?[0-9]+(?:e[0-9]+)?)([A-Za-z]*)$/.exec(value.trim());
  const unit = match ? MEMORY_UNITS[match[2]!] : undefined;
  return match && unit !== undefined ? Number(match[1]) * unit : undefined;
}
