/**
 * Folds a compiled sub-pipeline into the outer spec: its executors and components join the outer maps,
 * renamed (`comp-x-2`, `exec-x-2`) where names are taken, and its root becomes the calling task's component.
 */
import { uniqueName } from '../dsl/index.ts';
import type { ComponentSpec, PipelineSpec, PlatformSpec } from '../ir/index.ts';
import { mergePlatformExecutors } from './platform-config.ts';

export function mergeSubPipeline(
  main: PipelineSpec,
  mainPlatform: PlatformSpec,
  compiled: { spec: PipelineSpec; platform: PlatformSpec },
): ComponentSpec {
  const sub = structuredClone(compiled.spec);
  const subPlatform = structuredClone(compiled.platform);
  const executors = (main.deploymentSpec ??= {}).executors ?? {};
  main.deploymentSpec.executors = executors;
  const components = (main.components ??= {});

  const allComponents = () => [...Object.values(sub.components ?? {}), sub.root ?? {}];
  for (const [label, executor] of Object.entries(sub.deploymentSpec?.executors ?? {})) {
    const newLabel = uniqueName(label, { has: (name) => name in executors });
    if (newLabel !== label) {
      for (const component of allComponents())
        if (component.executorLabel === label) component.executorLabel = newLabel;
      for (const platform of Object.values(subPlatform.platforms ?? {})) {
        const configs = platform.deploymentSpec?.executors;
        if (configs && label in configs) {
          configs[newLabel] = configs[label]!;
          delete configs[label];
        }
      }
    }
    executors[newLabel] = executor;
  }
  mergePlatformExecutors(mainPlatform, subPlatform);

  const renames = new Map<string, string>();
  const taken = new Set([...Object.keys(components), ...Object.keys(sub.components ?? {})]);
  for (const name of Object.keys(sub.components ?? {})) {
    if (!(name in components)) continue;
    const newName = uniqueName(name, taken);
    taken.add(newName);
    renames.set(name, newName);
  }
  for (const component of allComponents()) {
    for (const task of Object.values(component.dag?.tasks ?? {})) {
      const ref = task.componentRef?.name;
      if (ref && renames.has(ref)) task.componentRef = { name: renames.get(ref)! };
    }
  }
  for (const [name, component] of Object.entries(sub.components ?? {})) {
    components[renames.get(name) ?? name] = component;
  }
  return sub.root ?? {};
}
