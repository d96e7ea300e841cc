/**
 * KFP's run-level placeholder values (`{{$.pipeline_job_name}}`, `{{$.pipeline_task_name}}`, …) for one
 * task: what command lines and `runtimeValue` constants get in their place, as KFP's driver swaps them.
 */
import { join } from 'node:path';
import type { RunRecord } from '../store/index.ts';
import type { RunContext } from './run-context.ts';
import type { TaskNode } from './run-tree.ts';

/**
 * KFP's job resource name is its Argo workflow's: the pipeline name and a suffix. Pipelines check it
 * (`startswith('my-pipeline-')`), so Sluice's has that shape, with the start of the run id as the suffix.
 */
export function jobResourceName(run: Pick<RunRecord, 'id' | 'pipelineName'>): string {
  return `${run.pipelineName}-${run.id.slice(0, 8)}`;
}

export function runValues(context: RunContext, node: TaskNode): Record<string, string> {
  return {
    pipeline_job_name: context.run.displayName ?? context.run.id,
    pipeline_job_resource_name: jobResourceName(context.run),
    pipeline_job_uuid: context.run.id,
    pipeline_task_name: node.record.name,
    pipeline_task_uuid: node.record.id,
    pipeline_root: context.deps.home,
    pipeline_job_create_time_utc: context.run.createdAt,
    pipeline_job_schedule_time_utc: context.run.createdAt,
    workspace_path: join(context.deps.home, 'runs', context.run.id, 'workspace'),
  };
}

/** Replaces every `{{$.<run value>}}` in a string; other text (and unknown names) stay as they are. */
export function substituteRunValues(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\$\.([a-z_]+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}
