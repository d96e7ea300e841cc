/**
 * DSL → IR. Builds the pipeline body, then emits a PipelineSpec group by group as KFP's compiler does
 * (`create_pipeline_spec` / `build_spec_by_group`), so a pipeline written here and its KFP twin compile to
 * the same tasks, DAG components, inputs, dependencies, triggers and iterators.
 */
import type {
  AnyPipeline,
  ComponentDefinition,
  IoSpecs,
  PipelineImplementation,
  PipelineTask,
} from '../dsl/index.ts';
import {
  type FunctionReference,
  IR_SCHEMA_VERSION,
  type PipelineDocument,
  type PipelineSpec,
  type PlatformSpec,
} from '../ir/index.ts';
import { SLUICE_VERSION } from '../version.ts';
import { type BuiltTree, buildTree, type CompiledSpec, functionDefinitions } from './built-tree.ts';
import { interfaceSpec } from './component-specs.ts';
import { connectDagOutputs, outputSpecsOf } from './dag-outputs.ts';
import { computeDependencies } from './dependencies.ts';
import { resolveFunctionReference } from './function-references.ts';
import { GroupCompiler } from './group-compiler.ts';
import { computeGroupInputs } from './group-inputs.ts';
import { computeGroupOutputs } from './group-outputs.ts';
import { GroupTree } from './group-tree.ts';
import { hasPlatformConfig } from './platform-config.ts';
import { checkPipelineOutputs } from './topology-rules.ts';

/**
 * Compiles a pipeline to a KFP PipelineSpec (and PlatformSpec when tasks set Kubernetes-level options).
 * Async because function components are located by importing the module that defines them.
 */
export async function compilePipeline(pipeline: AnyPipeline): Promise<PipelineDocument> {
  const tree = buildTree(pipeline.build());
  const functions = new Map<ComponentDefinition, FunctionReference>();
  for (const definition of functionDefinitions(tree)) {
    functions.set(definition, await resolveFunctionReference(definition));
  }
  const { spec, platform } = compileBuilt(tree, pipeline.options, functions);
  return hasPlatformConfig(platform)
    ? { pipelineSpec: spec, platformSpec: platform }
    : { pipelineSpec: spec };
}

interface PipelineMeta {
  readonly name: string;
  readonly description?: string | undefined;
  readonly displayName?: string | undefined;
  readonly inputs?: IoSpecs | undefined;
  readonly pipelineRoot?: string | undefined;
}

function compileBuilt(
  tree: BuiltTree,
  meta: PipelineMeta,
  functions: ReadonlyMap<ComponentDefinition, FunctionReference>,
): CompiledSpec {
  // Arguments and resources may embed channels in strings; their patterns resolve only in their own pipeline.
  return tree.built.context.withChannels(() => compileBuiltBody(tree, meta, functions));
}

function compileBuiltBody(
  tree: BuiltTree,
  meta: PipelineMeta,
  functions: ReadonlyMap<ComponentDefinition, FunctionReference>,
): CompiledSpec {
  const groups = new GroupTree(tree.built);
  checkPipelineOutputs(groups, tree.built.outputs);
  const groupInputs = computeGroupInputs(groups);
  const { groupOutputs, pipelineOutputs } = computeGroupOutputs(groups, { ...tree.built.outputs });
  const dependencies = computeDependencies(groups);

  const spec: PipelineSpec = {
    pipelineInfo: {
      name: meta.name,
      ...(meta.displayName ? { displayName: meta.displayName } : {}),
      ...(meta.description ? { description: meta.description } : {}),
    },
    sdkVersion: `sluice-${SLUICE_VERSION}`,
    schemaVersion: IR_SCHEMA_VERSION,
    components: {},
    deploymentSpec: { executors: {} },
    root: {
      ...interfaceSpec(meta.inputs ?? {}, outputSpecsOf(pipelineOutputs)),
      dag: { tasks: {} },
    },
    ...(meta.pipelineRoot ? { defaultPipelineRoot: meta.pipelineRoot } : {}),
  };
  const platform: PlatformSpec = {};
  const compileSub = (sub: BuiltTree, task: PipelineTask) =>
    compileBuilt(sub, (task.component.implementation as PipelineImplementation).pipeline.options, functions);
  const compiler = new GroupCompiler(
    spec,
    platform,
    groups,
    groupInputs,
    groupOutputs,
    dependencies,
    tree,
    compileSub,
    functions,
  );
  for (const group of groups.allGroups) compiler.compileGroup(group);
  compiler.compileExitHandlers();
  connectDagOutputs(spec.root!, pipelineOutputs);
  if (Object.keys(spec.components ?? {}).length === 0) delete spec.components;
  return { spec, platform };
}
