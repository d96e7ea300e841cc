/**
 * The DSL ports of KFP corpus pipelines (test/fixtures/ports/) compile to the same PipelineSpec as KFP's
 * own compiler wrote, except where Sluice cannot or need not match: `sdkVersion`, and the container
 * executors' contents (ports use shell stand-ins for KFP's Python functions). Executor labels, and which
 * kind of executor each component runs, are still compared; importer executors are compared whole.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import type { AnyPipeline } from '../../src/dsl/index.ts';
import { formatIssues, type PipelineDocument, parsePipeline, validatePipeline } from '../../src/ir/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusRoot = path.resolve(repoRoot, '../shared/kfp-corpus');

/** Corpus files (relative to the corpus root, without `.yaml`) with a port named after the file's stem. */
const PORTS = [
  'valid/two_step_pipeline',
  'valid/critical/parallel_for_after_dependency',
  'valid/cross_loop_after_topology',
  'valid/pipeline_with_loops_and_conditions',
  'valid/pipeline_with_nested_loops',
  'valid/failing/pipeline_with_exit_handler',
  'valid/failing/pipeline_with_multiple_exit_handlers',
  'valid/critical/collected_parameters',
  'valid/local_execution/pipeline_with_collected_artifacts',
  'valid/if_elif_else_with_oneof_parameters',
  'valid/critical/flip_coin',
  'valid/if_elif_else_complex',
  'valid/essential/pipeline_with_params_containing_format',
  'valid/critical/pipeline_with_retry',
  'valid/critical/pipeline_with_env',
  'valid/pipeline_with_dynamic_importer_metadata',
  'valid/pipeline_with_task_using_ignore_upstream_failure',
  'valid/pipeline_with_task_final_status',
  'valid/critical/pipeline_with_input_status_state',
  'valid/pipeline_as_exit_task',
  'valid/critical/if_else_with_oneof_artifacts',
  'valid/pipeline_with_parallelfor_list_artifacts_GH-12033',
  'valid/essential/pipeline_with_metrics_outputs',
  'valid/essential/pipeline_with_nested_conditions',
] as const;

/** The document with what Sluice does not reproduce taken out (see the module comment). */
function comparable(document: PipelineDocument): unknown {
  const { sdkVersion: _sdkVersion, deploymentSpec, ...spec } = structuredClone(document.pipelineSpec);
  const executors = Object.fromEntries(
    Object.entries(deploymentSpec?.executors ?? {}).map(([label, executor]) => [
      label,
      executor.importer ? { importer: executor.importer } : Object.keys(executor),
    ]),
  );
  return {
    pipelineSpec: { ...spec, deploymentSpec: { executors } },
    ...(document.platformSpec ? { platformSpec: document.platformSpec } : {}),
  };
}

describe.each(PORTS)('%s', (corpusPath) => {
  const stem = path.basename(corpusPath);

  test('compiles to the PipelineSpec KFP compiled', async () => {
    const port = (await import(`../fixtures/ports/${stem}.ts`)) as { default: AnyPipeline };
    const text = await readFile(path.join(corpusRoot, `${corpusPath}.yaml`), 'utf8');
    const expected = parsePipeline(text, corpusPath);
    const compiled = await compilePipeline(port.default);
    expect(comparable(compiled)).toStrictEqual(comparable(expected));
    expect(formatIssues(validatePipeline(compiled))).toBe('');
  });
});
