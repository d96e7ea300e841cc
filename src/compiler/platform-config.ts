/**
 * The PlatformSpec (second YAML document) entries Sluice writes: per-executor Kubernetes settings, today the
 * task timeout as `activeDeadlineSeconds` (what KFP's `kubernetes.set_timeout` writes).
 */
import type { PlatformSpec, Struct } from '../ir/index.ts';

export function setExecutorConfig(platform: PlatformSpec, executorLabel: string, config: Struct): void {
  const kubernetes = ((platform.platforms ??= {}).kubernetes ??= {});
  const executors = ((kubernetes.deploymentSpec ??= {}).executors ??= {});
  executors[executorLabel] = { ...(executors[executorLabel] ?? {}), ...config };
}

/** Adds the sub-pipeline's executor configs (already renamed to their merged labels). */
export function mergePlatformExecutors(main: PlatformSpec, sub: PlatformSpec): void {
  for (const [platformName, platform] of Object.entries(sub.platforms ?? {})) {
    for (const [label, config] of Object.entries(platform.deploymentSpec?.executors ?? {})) {
      if (platformName === 'kubernetes') setExecutorConfig(main, label, config);
      else {
        const target = ((main.platforms ??= {})[platformName] ??= {});
        ((target.deploymentSpec ??= {}).executors ??= {})[label] = config;
      }
    }
  }
}

export function hasPlatformConfig(platform: PlatformSpec): boolean {
  return Object.keys(platform.platforms ?? {}).length > 0;
}
