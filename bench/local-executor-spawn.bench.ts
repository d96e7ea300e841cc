/**
 * `npx tsx bench/local-executor-spawn.bench.ts [N]`: per-spawn overhead of LocalExecutor against a raw
 * `child_process.spawn`, N sequential runs each (default 200), interleaved in rounds so that load from
 * other processes hits every variant alike. Prints wall time and this process's CPU time per spawn (the
 * CPU figure is what the engine side costs, and is less disturbed by a busy machine). Asserts nothing.
 *
 * - raw spawn: spawn('true', { stdio: 'ignore' }) and wait for exit; the floor.
 * - raw spawn, same options: detached, stdout/stderr to an O_APPEND log fd, clean env (what LocalExecutor does).
 * - LocalExecutor `true`: start() → done, each run in a fresh work dir (mkdir, log, executor_input.json).
 * - LocalExecutor with one output: `sh -c 'printf 1 > "$0"'` plus reading and typing the output file,
 *   against raw spawn of the same `sh`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalExecutor } from '../src/executors/index.ts';
import { emptyExecutorInput } from '../test/runtime/executor-inputs.ts';

const N = Number(process.argv[2] ?? 200);
const ROUNDS = 4;
const root = await mkdtemp(join(tmpdir(), 'sluice-spawn-bench-'));
const executor = new LocalExecutor();
const cleanEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' };
let serial = 0;

function exited(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('exit', () => resolve());
    child.once('error', reject);
  });
}

const variants: Record<string, () => Promise<void>> = {
  'raw spawn `true`': () => exited(spawn('true', [], { stdio: 'ignore' })),
  'raw spawn `true`, same options': async () => {
    const log = await open(join(root, 'raw.log'), 'a');
    const child = spawn('true', [], { stdio: ['ignore', log.fd, log.fd], detached: true, env: cleanEnv });
    const done = exited(child); // listen before any await, or a fast exit is missed
    await log.close();
    await done;
  },
  'LocalExecutor `true`': async () => {
    const result = await executor.start(request(['true'])).done;
    if (!result.ok) throw new Error(result.failure.message);
  },
  'raw spawn `sh -c printf`': () =>
    exited(spawn('sh', ['-c', 'printf 1 > "$0"', join(root, 'raw-out')], { stdio: 'ignore' })),
  'LocalExecutor `sh -c printf` + output': async () => {
    const r = request(['sh', '-c', 'printf 1 > "$0"', "{{$.outputs.parameters['n'].output_file}}"]);
    r.executorInput.outputs.parameters.n = { outputFile: join(r.workDir, 'outputs/n') };
    r.outputParameterTypes = { n: 'NUMBER_INTEGER' };
    const result = await executor.start(r).done;
    if (!result.ok || result.outputs.parameters.n !== 1) throw new Error('bad output');
  },
};

function request(command: string[]) {
  const workDir = join(root, 'attempts', String(serial++));
  return {
    runId: 'bench',
    taskPath: 'step',
    attemptId: String(serial),
    container: { image: 'none', command },
    executorInput: emptyExecutorInput(join(workDir, 'executor_output.json')),
    outputParameterTypes: {} as Record<string, string>,
    runValues: {},
    env: {},
    workDir,
    projectRoot: root,
    logPath: join(workDir, 'output.log'),
  };
}

const totals = new Map<string, { wallMs: number; cpuMs: number }>();
for (const run of Object.values(variants)) for (let i = 0; i < 10; i++) await run(); // warm up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(variants)) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < N / ROUNDS; i++) await run();
    const used = process.cpuUsage(cpu);
    const total = totals.get(name) ?? { wallMs: 0, cpuMs: 0 };
    total.wallMs += performance.now() - start;
    total.cpuMs += (used.user + used.system) / 1000;
    totals.set(name, total);
  }
}
console.log(
  `${N} sequential spawns per variant (${ROUNDS} interleaved rounds), load ${loadavg()[0]!.toFixed(1)}`,
);
console.log(`  ${'variant'.padEnd(42)} wall ms/spawn   engine CPU ms/spawn`);
for (const [name, { wallMs, cpuMs }] of totals) {
  console.log(
    `  ${name.padEnd(42)} ${(wallMs / N).toFixed(2).padStart(13)}   ${(cpuMs / N).toFixed(2).padStart(19)}`,
  );
}
await rm(root, { recursive: true, force: true });
