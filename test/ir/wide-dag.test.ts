/**
 * The bench's widest DAG, fan10000 (1 → 10,000 → 1: the fan-in task has 10,001 input artifacts and its
 * executor as many placeholders). Validation once compared names pairwise here and took minutes; these are
 * correctness tests, and the suite's timeout is what would catch that coming back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKLOADS } from '../../bench/workloads.ts';
import { formatIssues, type PipelineDocument, validatePipeline } from '../../src/ir/index.ts';

let fan10000: PipelineDocument;
beforeAll(() => {
  fan10000 = WORKLOADS.find((workload) => workload.name === 'fan10000')!.build().document;
});

describe('validatePipeline on a 10,000-task fan-out and fan-in', () => {
  it('finds no issue', () => {
    expect(validatePipeline(fan10000)).toEqual([]);
  });

  it('finds each broken name, with a suggestion from among 10,000 siblings', () => {
    const document = structuredClone(fan10000);
    const tasks = document.pipelineSpec.root!.dag!.tasks!;
    tasks.gather!.inputs!.artifacts!.in7!.taskOutputArtifact!.producerTask = 'fan-7x';
    tasks['fan-9999']!.dependentTasks = ['sorce'];
    const executor = document.pipelineSpec.deploymentSpec!.executors!['exec-gather']!;
    executor.container!.args!.push("{{$.inputs.artifacts['in10000'].path}}");
    expect(formatIssues(validatePipeline(document))).toMatchInlineSnapshot(`
      "root.dag.tasks.fan-9999.dependentTasks[0]: task 'sorce' does not exist in this DAG (did you mean 'source'?)
      root.dag.tasks.gather.inputs.artifacts.in7.taskOutputArtifact.producerTask: task 'fan-7x' does not exist in this DAG (did you mean 'fan-7'?)
      deploymentSpec.executors.exec-gather.container.args[10001]: {{$.inputs.artifacts['in10000'].path}}: component comp-gather has no input artifact 'in10000' (did you mean 'in1000'?)"
    `);
  });

  it('reports structural errors inside maps too large to check at once, at their full path', () => {
    const document = structuredClone(fan10000) as unknown as {
      pipelineSpec: { root: { dag: { tasks: Record<string, Record<string, unknown>> } } };
    };
    const tasks = document.pipelineSpec.root.dag.tasks;
    tasks['fan-4321']!.cachingOptions = { enableCache: 'yes' };
    tasks['fan-17']!.retryPolicy = { maxRetryCount: 2, bogus: 1 };
    const messages = formatIssues(validatePipeline(document as unknown as PipelineDocument));
    expect(messages).toContain('root.dag.tasks.fan-4321.cachingOptions.enableCache');
    expect(messages).toContain('root.dag.tasks.fan-17.retryPolicy');
    expect(messages).toContain('bogus');
  });
});
