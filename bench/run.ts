/**
 * `npm run bench [-- --only chain100,fan1000 --parallelism N --repeat N]`: runs every workload with make
 * and with Sluice and prints one table, with the floors from issue 3 beside the figures; then the API
 * and UI sections (api-bench.ts, ui-bench.ts), unless `--only` is given. `npm run bench -- api` runs the API section alone,
 * `npm run bench -- ui` the run page's time to interactive in headless Chromium (ui-bench.ts).
 * Prints, asserts nothing. Progress goes to stderr, the table to stdout. See bench/README.md for what is
 * measured.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runApiBench } from './api-bench.ts';
import { runWithMake } from './make-baseline.ts';
import { EngineNotBuiltError, runWithSluice, type SluiceRunFigures } from './sluice-runner.ts';
import { runUiBench } from './ui-bench.ts';
import { WORKLOADS, type Workload } from './workloads.ts';

const FLOORS = { overheadRatio: 2, cachedEngineMs: 300, fan10000RssBytes: 300 * 1024 * 1024 };

const { values, positionals } = parseArgs({
  options: { only: { type: 'string' }, parallelism: { type: 'string' }, repeat: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.includes('api')) {
  await runApiBench();
  process.exit(0);
}
if (positionals.includes('ui')) {
  await runUiBench();
  process.exit(0);
}
const only = values.only?.split(',');
const cpus = values.parallelism ? Number(values.parallelism) : availableParallelism();
/** Runs per workload and side; the run with the median wall time is reported. fan10000 runs once. */
const repeat = values.repeat ? Number(values.repeat) : 3;

async function median<T extends { wallMs: number }>(runs: number, action: () => Promise<T>): Promise<T> {
  const results: T[] = [];
  for (let index = 0; index < runs; index++) results.push(await action());
  return results.sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs - 1) / 2)]!;
}

type Outcome<T> = { ok: T } | { missing: string } | { failed: string };

async function attempt<T>(action: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await action() };
  } catch (error) {
    if (error instanceof EngineNotBuiltError) return { missing: 'n/a (engine not built)' };
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

async function withHome<T>(action: (home: string) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmpdir(), 'sluice-bench-home-'));
  try {
    return await action(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

const progress = (text: string) => process.stderr.write(`${text}\n`);
const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`);
const mb = (bytes: number | undefined) =>
  bytes === undefined ? '?' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const perTask = (wallMs: number, workload: Workload, parallelism: number) =>
  (wallMs - workload.criticalPathSleepSeconds(parallelism) * 1000) / workload.tasks;

const rows: string[][] = [];
const problems: string[] = [];
function sluiceCell<T>(outcome: Outcome<T>, show: (value: T) => string, what: string): string {
  if ('ok' in outcome) return show(outcome.ok);
  if ('missing' in outcome) return outcome.missing;
  problems.push(`${what}: ${outcome.failed}`);
  return 'error (below)';
}

const makeVersion = execFileSync('make', ['--version']).toString().split('\n')[0];
progress(
  `node ${process.version}, ${availableParallelism()} CPUs, ${makeVersion}, load ${loadavg()[0]!.toFixed(1)}`,
);
for (const entry of WORKLOADS) {
  if (only && !only.includes(entry.name)) continue;
  const buildStarted = performance.now();
  const workload = entry.build();
  progress(
    `${workload.name}: ${workload.tasks} tasks, IR built and validated in ${ms(performance.now() - buildStarted)}`,
  );
  const parallelism = workload.parallelism ?? cpus;
  const runs = workload.tasks > 5000 ? 1 : repeat;
  const make = await median(runs, () => runWithMake(workload.document, parallelism));
  const makePerTask = perTask(make.wallMs, workload, parallelism);
  progress(`  make -j${parallelism}: ${ms(make.wallMs)} (median of ${runs})`);
  const sluice = await attempt(() =>
    median(runs, () => withHome((home) => runWithSluice(workload.document, { parallelism, home }))),
  );
  const sluicePerTask = (figures: SluiceRunFigures) => perTask(figures.wallMs, workload, parallelism);
  const rssFloor = workload.name === 'fan10000' ? ` (floor < ${mb(FLOORS.fan10000RssBytes)})` : '';
  rows.push([
    `${workload.name} (-j${parallelism})`,
    String(workload.tasks),
    ms(make.wallMs),
    `${makePerTask.toFixed(2)} ms`,
    mb(make.peakRssBytes),
    sluiceCell(sluice, (figures) => ms(figures.wallMs), workload.name),
    sluiceCell(sluice, (figures) => `${sluicePerTask(figures).toFixed(2)} ms`, workload.name),
    `${sluiceCell(sluice, (figures) => `${(sluicePerTask(figures) / makePerTask).toFixed(2)}×`, workload.name)} (floor ≤ ${FLOORS.overheadRatio}×)`,
    `${sluiceCell(sluice, (figures) => mb(figures.peakRssBytes), workload.name)}${rssFloor}`,
  ]);
}

if (!only || only.includes('chain100')) {
  const chain100 = WORKLOADS.find((entry) => entry.name === 'chain100')!.build();
  const cached = await attempt(() =>
    withHome(async (home) => {
      await runWithSluice(chain100.document, { parallelism: cpus, home, cached: true });
      return runWithSluice(chain100.document, { parallelism: cpus, home, cached: true });
    }),
  );
  const engine = sluiceCell(cached, (figures) => `engine ${ms(figures.engineMs)}`, 'chain100 cached re-run');
  rows.push([
    'chain100 cached re-run',
    '100',
    '',
    '',
    '',
    engine,
    '',
    `(floor < ${FLOORS.cachedEngineMs} ms engine)`,
    '',
  ]);
}

const header = [
  'workload',
  'tasks',
  'make wall',
  'make overhead/task',
  'make peak RSS',
  'sluice wall',
  'sluice overhead/task',
  'ratio',
  'sluice peak RSS',
];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length)),
);
const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ');
console.log(line(header));
console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
for (const row of rows) console.log(line(row));
console.log(
  '\noverhead/task = (wall − critical-path sleep) / tasks; ratio = sluice overhead / make overhead',
);
console.log(`median of ${repeat} runs per side (fan10000: 1); load average now ${loadavg()[0]!.toFixed(1)}`);
for (const problem of problems) console.log(`error: ${problem}`);
if (!only) {
  await runApiBench(progress);
  await runUiBench();
}
