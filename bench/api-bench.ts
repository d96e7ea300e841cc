/**
 * The API under load: a store of 10,000 finished runs (3 container tasks each, with parameters, a model and
 * metrics; each run's report saved as the engine saves it when a run ends), a real server on 127.0.0.1 in a
 * child process (`api-server-child.ts`), and 50 concurrent clients requesting one endpoint at a time for a
 * few seconds. Prints p50/p99 per endpoint beside the baseline
 * measured the same way in the same run (`GET /healthz`: the HTTP stack, no store) and the floor p99 < 50 ms.
 * Prints figures, asserts nothing. `npm run bench -- api` runs it alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mulberry32, shuffle } from '../examples/iris/lib/split.ts';
import { compilePipeline } from '../src/compiler/index.ts';
import { saveFinalReport } from '../src/engine/index.ts';
import { component, Dataset, Metrics, Model, Param, pipeline } from '../src/index.ts';
import {
  type ArtifactRecord,
  type Json,
  openSqliteRunStore,
  type RunRecord,
  type TaskRecord,
} from '../src/store/index.ts';

export const API_FLOOR_P99_MS = 50;
const RUNS = 10_000;
const CLIENTS = 50;
const SECONDS_PER_ENDPOINT = 4;
/** Per endpoint before measuring: statement caches, JIT, and the read workers the load starts (read-pool.ts). */
const WARM_UP_SECONDS = 1;
const EXPERIMENTS = 5;

const prep = component({
  name: 'prep',
  image: 'alpine',
  inputs: { rows: Param.int() },
  outputs: { data: Dataset },
  command: ({ inputs, outputs }) => ['sh', '-c', 'seq "$0" > "$1"', inputs.rows, outputs.data.path],
});
const train = component({
  name: 'train',
  image: 'alpine',
  inputs: { data: Dataset, lr: Param.float() },
  outputs: { model: Model, metrics: Metrics },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'cp "$0" "$2"; echo "{}" > "$3"',
    inputs.data.path,
    inputs.lr,
    outputs.model.path,
    outputs.metrics.path,
  ],
});
const evaluate = component({
  name: 'evaluate',
  image: 'alpine',
  inputs: { model: Model },
  outputs: { metrics: Metrics },
  command: ({ inputs, outputs }) => ['sh', '-c', 'echo "{}" > "$1"', inputs.model.path, outputs.metrics.path],
});
const benchPipeline = pipeline(
  { name: 'api-bench', inputs: { rows: Param.int({ default: 100 }), lr: Param.float({ default: 0.1 }) } },
  ({ rows, lr }) => {
    const data = prep({ rows });
    const trained = train({ data: data.outputs.data, lr });
    evaluate({ model: trained.outputs.model });
  },
);

const iso = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

/** 10,000 runs, inserted through the store as the engine would leave them (final: nothing to adopt). */
export async function seed(home: string): Promise<{ runIds: string[]; experimentIds: string[] }> {
  const document = (await compilePipeline(benchPipeline)) as unknown as Json;
  const store = await openSqliteRunStore(join(home, 'sluice.db'));
  const experimentIds: string[] = [];
  for (let index = 0; index < EXPERIMENTS; index++) {
    const id = `exp-${index}`;
    await store.createExperiment({
      id,
      name: `experiment ${index}`,
      description: null,
      storageState: 'AVAILABLE',
      createdAt: iso(index),
    });
    experimentIds.push(id);
  }
  const version = await store.savePipelineVersion('api-bench', 'bench-digest', document, iso(0));
  const runIds: string[] = [];
  for (let index = 0; index < RUNS; index++) {
    const runId = randomUUID();
    runIds.push(runId);
    const created = index * 1000;
    const state = index % 10 === 0 ? 'FAILED' : index % 10 === 1 ? 'CANCELED' : 'SUCCEEDED';
    const lr = 0.001 * (1 + (index % 50));
    const run: RunRecord = {
      id: runId,
      pipelineName: 'api-bench',
      displayName: index % 3 === 0 ? null : `sweep ${index % 97}`,
      state,
      spec: document,
      parameters: { rows: 100 + (index % 7), lr },
      options: { parallelism: 4, cache: true, cacheSalt: '', projectRoot: '/bench' },
      createdAt: iso(created),
      startedAt: iso(created + 50),
      finishedAt: iso(created + 5000 + (index % 13) * 100),
      error:
        state === 'FAILED'
          ? { kind: 'user', retryable: false, message: 'evaluate failed', exitCode: 1 }
          : null,
      ownerId: null,
      heartbeatAt: null,
    } as RunRecord;
    const root = task(runId, 'root', '', 'DAG', created, state, null);
    const accuracy = 0.5 + (index % 50) / 100;
    const artifact = (taskRecord: TaskRecord, name: string, schemaTitle: string, metadata: Json) =>
      ({
        id: `${taskRecord.id}:${name}`,
        runId,
        taskId: taskRecord.id,
        name,
        uri: `file://${home}/artifacts/api-bench/${runId}/${taskRecord.path}/${name}`,
        schemaTitle,
        schemaVersion: '0.0.1',
        metadata,
        digest: `sha256:${'0'.repeat(64)}`,
        sizeBytes: 1234,
        createdAt: iso(created + 100),
      }) as ArtifactRecord;
    const prepTask = task(runId, 'prep', 'prep', 'CONTAINER', created, 'SUCCEEDED', null);
    const data = artifact(prepTask, 'data', 'system.Dataset', {});
    prepTask.outputs = refs({ data: [data] });
    const trainTask = task(runId, 'train', 'train', 'CONTAINER', created, 'SUCCEEDED', null);
    const model = artifact(trainTask, 'model', 'system.Model', { framework: 'sklearn' });
    const trainMetrics = artifact(trainTask, 'metrics', 'system.Metrics', { accuracy, loss: 1 - accuracy });
    trainTask.outputs = refs({ model: [model], metrics: [trainMetrics] });
    const evalState = state === 'SUCCEEDED' ? 'SUCCEEDED' : state === 'FAILED' ? 'FAILED' : 'CANCELED';
    const evalTask = task(runId, 'evaluate', 'evaluate', 'CONTAINER', created, evalState, null);
    const evalMetrics = artifact(evalTask, 'metrics', 'system.Metrics', { f1: accuracy - 0.05 });
    if (evalState === 'SUCCEEDED') evalTask.outputs = refs({ metrics: [evalMetrics] });
    const leaves = [prepTask, trainTask, evalTask];
    const step = (taskId: string | null, from: string | null, to: string, ms: number) => ({
      runId,
      taskId,
      from,
      to,
      reason: null,
      at: iso(created + ms),
    });
    await store.createRun(run, root, [step(null, null, 'PENDING', 0), step(root.id, null, 'PENDING', 0)], {
      experimentId: experimentIds[index % EXPERIMENTS]!,
      pipelineVersionId: version.id,
    });
    await store.commit({
      runId,
      newTasks: leaves,
      newAttempts: leaves.map((leaf) => ({
        id: `${leaf.id}#1`,
        taskId: leaf.id,
        runId,
        number: 1,
        state: leaf.state === 'SUCCEEDED' ? 'SUCCEEDED' : leaf.state === 'FAILED' ? 'FAILED' : 'CANCELED',
        pid: 1000 + index,
        podName: null,
        startedAt: iso(created + 60),
        finishedAt: iso(created + 4000),
        exitCode: leaf.state === 'FAILED' ? 1 : 0,
        logPath: join(home, 'runs', runId, leaf.path, 'output.log'),
        workDir: join(home, 'runs', runId, leaf.path),
        error: null,
      })),
      newArtifacts:
        evalState === 'SUCCEEDED' ? [data, model, trainMetrics, evalMetrics] : [data, model, trainMetrics],
      transitions: [
        step(null, 'PENDING', 'RUNNING', 50),
        ...leaves.flatMap((leaf, order) => [
          step(leaf.id, null, 'PENDING', 60 + order),
          step(leaf.id, 'PENDING', 'RUNNING', 100 + order * 1500),
          step(leaf.id, 'RUNNING', leaf.state, 1500 + order * 1500),
        ]),
        step(root.id, 'RUNNING', state, 5000),
        step(null, 'RUNNING', state, 5000),
      ],
      lineage: [
        { artifactId: data.id, taskId: prepTask.id, runId, kind: 'OUTPUT', key: 'data' },
        { artifactId: data.id, taskId: trainTask.id, runId, kind: 'INPUT', key: 'data' },
        { artifactId: model.id, taskId: trainTask.id, runId, kind: 'OUTPUT', key: 'model' },
      ],
    });
    // The engine saves a finished run's report when the run ends; the seeded runs end here.
    await saveFinalReport(store, runId);
    if (index % 20 === 0) await store.setRunStorageState(runId, 'ARCHIVED');
  }
  await store.close();
  return { runIds, experimentIds };
}

function task(
  runId: string,
  name: string,
  path: string,
  kind: TaskRecord['kind'],
  created: number,
  state: string,
  outputs: Json | null,
): TaskRecord {
  return {
    id: `${runId}/${name}`,
    runId,
    parentId: kind === 'DAG' ? null : `${runId}/root`,
    name,
    path,
    kind,
    componentName: kind === 'DAG' ? 'root' : `comp-${name}`,
    iterationIndex: null,
    state,
    inputs: { parameters: { rows: 100 }, artifacts: {} },
    outputs,
    fingerprint: 'a'.repeat(64),
    fingerprintParts: { spec: 'b'.repeat(64) },
    cachedFromTaskId: null,
    cacheMissReason: null,
    error: null,
    attemptCount: kind === 'DAG' ? 0 : 1,
    createdAt: new Date(Date.UTC(2026, 0, 1) + created + 10).toISOString(),
    startedAt: null,
    finishedAt: null,
  };
}

function refs(outputs: Record<string, ArtifactRecord[]>): Json {
  return {
    parameters: {},
    artifacts: Object.fromEntries(
      Object.entries(outputs).map(([name, list]) => [
        name,
        list.map((a) => ({ id: a.id, uri: a.uri, schemaTitle: a.schemaTitle, metadata: a.metadata })),
      ]),
    ),
  } as Json;
}

async function startChild(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
        : []),
      '--import',
      'tsx',
      join(import.meta.dirname, 'api-server-child.ts'),
      home,
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before listening`)));
  });
  return { url, child };
}

interface Figures {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  perSecond: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** CLIENTS loops, each requesting `next()` back to back for the duration; latency per request. */
async function hammer(next: () => string, seconds: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const begin = performance.now();
        const status = await get(next()).catch(() => 0);
        latencies.push(performance.now() - begin);
        if (status !== 200) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    requests: latencies.length,
    errors,
    p50: at(0.5),
    p99: at(0.99),
    perSecond: latencies.length / elapsed,
  };
}

export async function runApiBench(
  progress: (text: string) => void = (text) => process.stderr.write(`${text}\n`),
) {
  const home = await mkdtemp(join(tmpdir(), 'sluice-bench-api-'));
  try {
    const seedStarted = performance.now();
    const { runIds, experimentIds } = await seed(home);
    progress(
      `api: seeded ${RUNS} runs (3 tasks, 4 artifacts each) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );
    await measureApi(home, runIds, experimentIds, progress);
  } finally {
    agent.destroy();
    await rm(home, { recursive: true, force: true });
  }
}

/** Starts the server on a seeded home, measures every endpoint, prints the table. */
export async function measureApi(
  home: string,
  runIds: string[],
  experimentIds: string[],
  progress: (text: string) => void,
): Promise<void> {
  {
    const { url, child } = await startChild(home);
    try {
      const api = `${url}/apis/v2beta1`;
      // Every run in a shuffled order, so that get-run reads all 10,000 runs, not a short cycle of them
      // (answers the server keeps then help only as much as they would with real traffic).
      const order = shuffle(runIds, mulberry32(0x5eed));
      let cursor = 0;
      let next = 0;
      const randomRun = () => order[next++ % order.length]!;
      const endpoints: [string, () => string][] = [
        ['GET /healthz (baseline)', () => `${url}/healthz`],
        ['GET /runs/{id}', () => `${api}/runs/${randomRun()}`],
        ['GET /runs?pageSize=50', () => `${api}/runs?pageSize=50`],
        [
          'GET /runs?experimentId&state&sortBy=finished_at asc',
          () =>
            `${api}/runs?pageSize=50&experimentId=${experimentIds[cursor++ % EXPERIMENTS]}&state=SUCCEEDED&sortBy=finished_at%20asc`,
        ],
        [
          'GET /runs?sortBy=name&storageState=ALL',
          () => `${api}/runs?pageSize=50&sortBy=name&storageState=ALL`,
        ],
      ];
      // Warm up (statement caches, JIT) before measuring.
      for (const [, next] of endpoints) await hammer(next, WARM_UP_SECONDS);
      const results: [string, Figures][] = [];
      for (const [name, next] of endpoints) {
        const figures = await hammer(next, SECONDS_PER_ENDPOINT);
        progress(`  ${name}: ${figures.requests} requests, p99 ${figures.p99.toFixed(1)} ms`);
        results.push([name, figures]);
      }
      printTable(results);
    } finally {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

function printTable(results: [string, Figures][]): void {
  const baseline = results[0]![1];
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const rows = results.map(([name, f], index) => [
    name,
    String(f.requests),
    f.perSecond.toFixed(0),
    ms(f.p50),
    ms(f.p99),
    index === 0 ? '' : `${ms(baseline.p50)} / ${ms(baseline.p99)}`,
    index === 0 ? '' : `${f.p99 < API_FLOOR_P99_MS ? 'ok' : 'OVER'} (floor p99 < ${API_FLOOR_P99_MS} ms)`,
    String(f.errors),
  ]);
  const header = ['endpoint', 'requests', 'req/s', 'p50', 'p99', 'baseline p50 / p99', 'floor', 'non-200'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ');
  console.log(
    `\nAPI: ${RUNS} runs, ${CLIENTS} concurrent clients, ${SECONDS_PER_ENDPOINT} s per endpoint; load average now ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`,
  );
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) console.log(line(row));
}
