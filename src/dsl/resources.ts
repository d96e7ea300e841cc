/**
 * Resource requests and limits in Kubernetes quantity notation, checked when set so a typo fails at compile
 * time rather than when a cluster rejects the pod.
 */
import { parseCpuQuantity, parseMemoryQuantity } from '../ir/index.ts';
import { channelsInString } from './channels.ts';
import { DslError } from './pipeline-context.ts';

export interface TaskResources {
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  acceleratorType?: string;
  acceleratorCount?: string;
}

const CPU = /^([0-9]*\.?[0-9]+|[0-9]+m)$/;
const MEMORY = /^[0-9]*\.?[0-9]+(E|Ei|P|Pi|T|Ti|G|Gi|M|Mi|K|Ki|k)?$/;

/** A value that holds a channel is only known at run time and is not checked here. */
function isDynamic(value: string): boolean {
  return channelsInString(value).length > 0;
}

export function checkCpu(value: string, taskName: string): string {
  const text = String(value);
  if (!isDynamic(text) && !CPU.test(text)) {
    throw new DslError(
      `task '${taskName}': CPU '${text}' is not valid; use cores ('2', '0.5') or millicores ('500m')`,
    );
  }
  return text;
}

export function checkMemory(value: string, taskName: string): string {
  const text = String(value);
  if (!isDynamic(text) && !MEMORY.test(text)) {
    throw new DslError(`task '${taskName}': memory '${text}' is not valid; use e.g. '512Mi', '4Gi', '1G'`);
  }
  return text;
}

/** Cores as a number, for the deprecated numeric IR fields KFP still fills for static values. */
export function cpuCores(value: string): number | undefined {
  if (isDynamic(value)) return undefined;
  return parseCpuQuantity(value);
}

/** Gigabytes (10^9 bytes), as KFP's deprecated numeric memory fields hold. */
export function memoryGigabytes(value: string): number | undefined {
  if (isDynamic(value)) return undefined;
  const bytes = parseMemoryQuantity(value);
  return bytes === undefined ? undefined : bytes / 1e9;
}
