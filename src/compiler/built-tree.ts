import type { BuiltPipeline, ComponentDefinition, PipelineTask } from '../dsl/index.ts';
import type { PipelineSpec, PlatformSpec } from '../ir/index.ts';

/** A built pipeline with the built graphs of the sub-pipelines its tasks call, ready to compile. */
export interface BuiltTree {
  readonly built: BuiltPipeline;
  readonly subPipelines: Map<PipelineTask, BuiltTree>;
}

export interface CompiledSpec {
  spec: PipelineSpec;
  platform: PlatformSpec;
}

/** Runs the pipeline body, and the bodies of the pipelines its tasks call, once each. */
export function buildTree(built: BuiltPipeline): BuiltTree {
  const subPipelines = new Map<PipelineTask, BuiltTree>();
  for (const task of built.context.tasks.values()) {
    const implementation = task.component.implementation;
    if (implementation.kind === 'pipeline')
      subPipelines.set(task, buildTree(implementation.pipeline.build()));
  }
  return { built, subPipelines };
}

/** Every function component used anywhere in the tree, once. */
export function* functionDefinitions(tree: BuiltTree): Generator<ComponentDefinition> {
  const seen = new Set<ComponentDefinition>();
  const walk = function* (node: BuiltTree): Generator<ComponentDefinition> {
    for (const task of node.built.context.tasks.values()) {
      if (task.component.implementation.kind === 'function' && !seen.has(task.component)) {
        seen.add(task.component);
        yield task.component;
      }
    }
    for (const sub of node.subPipelines.values()) yield* walk(sub);
  };
  yield* walk(tree);
}
