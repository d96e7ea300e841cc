/**
 * Run reports as text: the summary `sluice run` ends with (what happened, the numbers that matter, what to
 * type next) and the fuller page `sluice show` prints. Plain text; no colour, so it pastes anywhere.
 */

import type { Json, ReportedArtifact, RunReport } from '../engine/index.ts';
import { formatDuration } from './progress.ts';

export function renderRunEnd(report: RunReport): string {
  const id = report.runId;
  const short = id.slice(0, 8);
  const lines = [`run ${id} ${report.state}${durationOf(report)} (${countStates(report)})`];
  if (report.metrics.length > 0) {
    lines.push('  metrics:');
    for (const metric of report.metrics.slice(0, 10))
      lines.push(`    ${metric.task}  ${metricValues(metric)}`);
    if (report.metrics.length > 10)
      lines.push(`    … ${report.metrics.length - 10} more: sluice show ${short}`);
  }
  const results = report.models.filter((model) => model.final);
  if (results.length > 0) {
    lines.push(results.length === 1 ? '  model:' : '  models:');
    for (const model of results.slice(0, 5)) {
      const details = metricValues(model);
      lines.push(`    ${model.task}  ${model.uri}`, ...(details ? [`      ${details}`] : []));
    }
  }
  lines.push(...renderFailures(report, 3));
  const next: [string, string][] = [
    [`sluice show ${short}`, 'tasks, parameters, metrics'],
    [`sluice logs ${short} TASK`, 'what a task printed'],
  ];
  if (report.state === 'FAILED' || report.state === 'CANCELED')
    next.push([`sluice retry ${short}`, 're-run what failed; reuse what succeeded']);
  const model = results.at(-1) ?? report.models.at(-1);
  if (model)
    next.push([`sluice lineage ${short}/${model.task.split('/').at(-1)}`, 'what produced the model']);
  next.push(['sluice runs', 'every run, newest first']);
  const width = Math.max(...next.map(([command]) => command.length)) + 3;
  lines.push('  next:', ...next.map(([command, what]) => `    ${command.padEnd(width)}${what}`));
  return `${lines.join('\n')}\n`;
}

export function renderShow(report: RunReport): string {
  const name = report.displayName ? ` "${report.displayName}"` : '';
  const lines = [
    `run ${report.runId}${name}`,
    `  pipeline ${report.pipeline}   state ${report.state}${durationOf(report)}   created ${report.createdAt}`,
  ];
  if (report.error) lines.push(`  error: ${report.error}`);
  const parameters = Object.entries(report.parameters);
  if (parameters.length > 0) {
    lines.push('  parameters:');
    for (const [key, value] of parameters) lines.push(`    ${key} = ${JSON.stringify(value)}`);
  }
  lines.push(`  tasks (${countStates(report)}):`);
  const width = Math.min(48, Math.max(...report.tasks.map((task) => task.name.length), 4));
  for (const task of report.tasks) {
    const extra = [task.cached ? 'cached' : '', task.attempts > 1 ? `${task.attempts} attempts` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`    ${task.state.padEnd(9)} ${task.name.padEnd(width)}${extra ? `  ${extra}` : ''}`);
  }
  const outputs = [
    ...Object.entries(report.outputs.parameters).map(([key, value]) => `${key} = ${JSON.stringify(value)}`),
    ...Object.entries(report.outputs.artifacts).map(([key, uris]) => `${key} = ${uris.join(', ')}`),
  ];
  if (outputs.length > 0) lines.push('  outputs:', ...outputs.map((line) => `    ${line}`));
  if (report.metrics.length > 0) {
    lines.push('  metrics:');
    for (const metric of report.metrics)
      lines.push(`    ${metric.task} ${metric.name}  ${metricValues(metric)}`);
  }
  if (report.models.length > 0) {
    lines.push('  models:');
    for (const model of report.models) lines.push(`    ${model.task} ${model.name}  ${model.uri}`);
  }
  lines.push(...renderFailures(report, Number.POSITIVE_INFINITY));
  return `${lines.join('\n')}\n`;
}

function renderFailures(report: RunReport, limit: number): string[] {
  const lines: string[] = [];
  for (const failure of report.failures.slice(0, limit)) {
    const code = failure.exitCode !== null ? ` (exit ${failure.exitCode})` : '';
    lines.push(`  ${failure.task} failed${code}: ${failure.message}`);
    for (const line of failure.logTail.slice(-5)) lines.push(`    | ${line}`);
  }
  if (report.failures.length > limit) lines.push(`  … ${report.failures.length - limit} more failures`);
  return lines;
}

function countStates(report: RunReport): string {
  const counts = new Map<string, number>();
  // Loop iterations are containers, not work: count the tasks inside them instead.
  for (const task of report.tasks)
    if (!task.name.endsWith(']')) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state.toLowerCase()}`).join(', ') || 'no tasks';
}

function durationOf(report: RunReport): string {
  if (!report.startedAt || !report.finishedAt) return '';
  return ` in ${formatDuration(Date.parse(report.finishedAt) - Date.parse(report.startedAt))}`;
}

/** Metric values worth a line: numbers and short strings of a Metrics artifact; a matrix as its size. */
export function metricValues(artifact: ReportedArtifact): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(artifact.metadata)) {
    if (key === 'display_name') continue;
    if (typeof value === 'number') parts.push(`${key}=${Number.isInteger(value) ? value : value.toFixed(4)}`);
    else if (key === 'confusionMatrix') parts.push(confusionSummary(value));
    else if (typeof value === 'string' && value.length <= 120) parts.push(`${key}=${value}`);
  }
  return parts.join('  ');
}

function confusionSummary(value: Json): string {
  const matrix = value as { annotationSpecs?: { displayName?: string }[]; rows?: { row?: number[] }[] };
  const labels = (matrix.annotationSpecs ?? []).map((spec) => spec.displayName ?? '?');
  const rows = (matrix.rows ?? []).map((row) => row.row ?? []);
  const correct = rows.reduce((sum, row, index) => sum + (row[index] ?? 0), 0);
  const total = rows.flat().reduce((sum, count) => sum + count, 0);
  return `confusion matrix ${labels.length}×${labels.length} (${labels.join(', ')}): ${correct}/${total} on the diagonal`;
}
