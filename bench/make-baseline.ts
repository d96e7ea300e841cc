/**
 * The baseline: the same DAG as a Makefile, run by `make -j<N>`. The Makefile is derived from the IR itself
 * (one target per task, named after it; prerequisites from its input artifacts and dependentTasks; the
 * recipe is the task's own argv with placeholders filled in), so both sides run the same commands. Make
 * runs each recipe through /bin/sh, which execs the component's own `sh -c`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineDocument, PipelineTaskSpec } from '../src/ir/index.ts';

export interface MakeResult {
  wallMs: number;
  /** Peak RSS of make (GNU time reports the largest of make and the children it waited for). */
  peakRssBytes: number | undefined;
  tasks: number;
}

const GNU_TIME = '/usr/bin/time';

/** Writes the DAG as a Makefile in a fresh temp dir, runs `make -j<parallelism>` there, and removes it. */
export async function runWithMake(document: PipelineDocument, parallelism: number): Promise<MakeResult> {
  const directory = await mkdtemp(join(tmpdir(), 'sluice-bench-make-'));
  try {
    const { makefile, tasks } = makefileOf(document);
    await writeFile(join(directory, 'Makefile'), makefile);
    // -r -R: no built-in rules or variables, so make spends no time on implicit-rule search (make at its best).
    const makeArgs = ['-r', '-R', '-s', `-j${parallelism}`];
    const timed = existsSync(GNU_TIME);
    const started = performance.now();
    const result = timed
      ? await run(GNU_TIME, ['-v', '-o', join(directory, 'time.txt'), 'make', ...makeArgs], directory)
      : await run('make', makeArgs, directory);
    const wallMs = performance.now() - started;
    if (result.code !== 0)
      throw new Error(`make failed (exit ${result.code}):\n${result.stderr.slice(-2000)}`);
    const peakRssBytes = timed
      ? gnuTimePeakRss(await readFile(join(directory, 'time.txt'), 'utf8'))
      : result.peakRssBytes;
    return { wallMs, peakRssBytes, tasks };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The Makefile for a flat DAG of container tasks whose single output artifact is `out`. */
export function makefileOf(document: PipelineDocument): { makefile: string; tasks: number } {
  const spec = document.pipelineSpec;
  const tasks = Object.entries(spec.root?.dag?.tasks ?? {});
  const consumed = new Set(tasks.flatMap(([, task]) => prerequisitesOf(task)));
  const finals = tasks.map(([name]) => name).filter((name) => !consumed.has(name));
  const rules = [`.PHONY: all\nall: ${finals.join(' ')}\n`];
  for (const [name, task] of tasks) {
    const component = spec.components?.[task.componentRef?.name ?? ''];
    const container = spec.deploymentSpec?.executors?.[component?.executorLabel ?? '']?.container;
    if (!container) throw new Error(`task ${name}: the make baseline runs container tasks only`);
    const argv = [...(container.command ?? []), ...(container.args ?? [])].map((arg) =>
      fillPlaceholders(arg, name, task),
    );
    const recipe = argv
      .map(shellQuote)
      .join(' ')
      .replaceAll('$', () => '$$'); // make's escape for $
    rules.push(`${name}: ${prerequisitesOf(task).join(' ')}\n\t${recipe}\n`);
  }
  return { makefile: rules.join('\n'), tasks: tasks.length };
}

function prerequisitesOf(task: PipelineTaskSpec): string[] {
  const producers = Object.values(task.inputs?.artifacts ?? {}).flatMap((input) =>
    input.taskOutputArtifact?.producerTask ? [input.taskOutputArtifact.producerTask] : [],
  );
  return [...new Set([...producers, ...(task.dependentTasks ?? [])])];
}

/** The three placeholders the workloads use; a target's file is named after its task. */
function fillPlaceholders(text: string, taskName: string, task: PipelineTaskSpec): string {
  return text.replace(/\{\{\$\.([^}]+)\}\}/g, (raw, path: string) => {
    const input = /^inputs\.artifacts\['([^']+)'\]\.path$/.exec(path);
    if (input) {
      const producer = task.inputs?.artifacts?.[input[1]!]?.taskOutputArtifact?.producerTask;
      if (producer) return producer;
    }
    if (path === "outputs.artifacts['out'].path") return taskName;
    const parameter = /^inputs\.parameters\['([^']+)'\]$/.exec(path);
    const constant = parameter && task.inputs?.parameters?.[parameter[1]!]?.runtimeValue?.constant;
    if (typeof constant === 'string') return constant;
    throw new Error(`task ${taskName}: the make baseline cannot fill ${raw}`);
  });
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function gnuTimePeakRss(report: string): number | undefined {
  const kilobytes = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1];
  return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
}

interface ProcessResult {
  code: number | null;
  stderr: string;
  /** Without GNU time: make's own VmHWM from /proc, read every 20 ms while it runs. */
  peakRssBytes: number | undefined;
}

function run(command: string, args: string[], cwd: string): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakRssBytes: number | undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sampler = setInterval(async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kilobytes = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      if (kilobytes !== undefined) peakRssBytes = Math.max(peakRssBytes ?? 0, Number(kilobytes) * 1024);
    }, 20);
    child.on('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ code, stderr, peakRssBytes });
    });
  });
}
