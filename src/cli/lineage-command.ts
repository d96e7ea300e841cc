/**
 * `sluice lineage ARTIFACT_URI | RUN_ID/TASK`: where an artifact came from (the data, parameters, code and
 * runs upstream of it) and what consumed it downstream, across runs.
 */
import { openDefaultEngine } from '../engine/index.ts';
import type { LineageArtifact, LineageGraph, LineageSubject, LineageTask, RunStore } from '../store/index.ts';
import { LineageSubjectNotFoundError, traceLineage } from '../store/index.ts';
import { resolveRunIdArgument } from './run-id.ts';
import { findTaskArgument } from './task-argument.ts';

export async function lineageCommand(subjectArgument: string, options: { json?: boolean }): Promise<number> {
  const { store, close } = await openDefaultEngine();
  try {
    const subject = await parseSubject(store, subjectArgument);
    const graph = await traceLineage(store, subject);
    process.stdout.write(options.json ? `${JSON.stringify(graph)}\n` : renderLineage(graph));
    return 0;
  } finally {
    await close();
  }
}

/** A URI (`file://…`, `s3://…`, an absolute path) or `RUN_ID/TASK` with a run id prefix and a task path or tail. */
async function parseSubject(store: RunStore, argument: string): Promise<LineageSubject> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(argument) || argument.startsWith('/')) return { uri: argument };
  const slash = argument.indexOf('/');
  if (slash <= 0) {
    throw new LineageSubjectNotFoundError(
      `'${argument}' is neither an artifact URI nor RUN_ID/TASK (e.g. 3f2a9c1b/train); see: sluice show RUN_ID`,
    );
  }
  const runId = await resolveRunIdArgument(store, argument.slice(0, slash));
  const task = findTaskArgument(await store.getTasks(runId), runId, argument.slice(slash + 1));
  return { runId, taskPath: task.path };
}

export function renderLineage(graph: LineageGraph): string {
  const lines: string[] = [];
  for (const artifact of graph.artifacts) {
    lines.push(describeArtifact(artifact, ''));
    const metadata = Object.entries(artifact.metadata).filter(([, value]) => typeof value !== 'object');
    if (metadata.length > 0)
      lines.push(`  metadata: ${metadata.map(([key, value]) => `${key}=${short(value)}`).join(', ')}`);
  }
  lines.push('', 'upstream (what produced it, nearest first):');
  if (graph.upstream.length === 0) lines.push('  nothing recorded');
  for (const task of graph.upstream) lines.push(...describeTask(task, 'inputs'));
  lines.push('', 'downstream (what used it):');
  if (graph.downstream.length === 0) lines.push('  nothing has used it yet');
  for (const task of graph.downstream) lines.push(...describeTask(task, 'outputs'));
  if (graph.truncated) lines.push('', '(stopped after 200 tasks on a side; --json has the same limit)');
  return `${lines.join('\n')}\n`;
}

function describeArtifact(artifact: LineageArtifact, indent: string): string {
  const digest = artifact.digest ? ` ${artifact.digest.slice(0, 19)}…` : '';
  return `${indent}${artifact.schemaTitle} ${artifact.uri}${digest}  (${artifact.name} of ${artifact.producer}, run ${artifact.runId})`;
}

function describeTask(task: LineageTask, side: 'inputs' | 'outputs'): string[] {
  const cached = task.cachedFrom ? `, cached from run ${task.cachedFrom.runId}` : '';
  const lines = [
    `  ${'  '.repeat(task.depth)}${task.path} [${task.state}${cached}] run ${task.runId} (${task.pipeline}, ${task.runCreatedAt})`,
  ];
  const pad = `    ${'  '.repeat(task.depth)}`;
  if (task.code) lines.push(`${pad}code: ${task.code.image} ${describeCommand(task.code.command)}`);
  const parameters = Object.entries(task.parameters).filter(
    ([name]) => !name.startsWith('pipelinechannel--'),
  );
  if (parameters.length > 0)
    lines.push(
      `${pad}parameters: ${parameters.map(([name, value]) => `${name}=${short(value)}`).join(', ')}`,
    );
  for (const { key, artifact } of task[side])
    lines.push(`${pad}${side === 'inputs' ? '←' : '→'} ${key}: ${describeArtifact(artifact, '').trim()}`);
  return lines;
}

/** The command's first words, and any code-naming flags (module, export, digest) in full. */
function describeCommand(command: ReadonlyArray<string>): string {
  const flag = command.findIndex((word) => word.startsWith('--'));
  const head = flag >= 0 ? command.slice(0, flag) : command;
  const named = flag >= 0 ? command.slice(flag) : [];
  const shown = head.slice(0, 4).map((word) => short(word));
  return [...shown, ...(head.length > 4 ? ['…'] : []), ...named].join(' ');
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
