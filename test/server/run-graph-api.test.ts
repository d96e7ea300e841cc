/**
 * What the run page draws: the run's DAG from the spec with live states (loops folded into one node with
 * counts and an iteration list, sub-DAGs as groups, the exit handler marked), one task in full, a pipeline
 * version's graph, and the web UI's files served without the API's token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import { component, ExitHandler, If, ParallelFor, Param, pipeline } from '../../src/index.ts';
import type { GraphNode, RunGraph } from '../../src/server/run-graph.ts';
import { buildRunGraph } from '../../src/server/run-graph.ts';
import { type Client, openClient, waitForState } from './helpers.ts';

const sh = (script: string) => ['sh', '-c', script];

const first = component({
  name: 'first',
  image: 'alpine',
  inputs: { n: Param.int() },
  outputs: { doubled: Param.int() },
  command: ({ inputs, outputs }) => [
    ...sh('echo "first $0"; echo $(( $0 * 2 )) > "$1"'),
    inputs.n,
    outputs.doubled,
  ],
});
// Fails for one item only, so the loop ends with a mix of states.
const second = component({
  name: 'second',
  image: 'alpine',
  inputs: { n: Param.int() },
  command: ({ inputs }) => [
    ...sh('echo "second $0"; test "$0" -ne 4 || { echo "four is bad" >&2; exit 3; }'),
    inputs.n,
  ],
});
const gated = component({
  name: 'gated',
  image: 'alpine',
  inputs: { flag: Param.string() },
  command: ({ inputs }) => [...sh('echo "gated $0"'), inputs.flag],
});
const report = component({
  name: 'report',
  image: 'alpine',
  command: sh('echo reporting'),
});

const graphPipeline = pipeline(
  { name: 'graph-shapes', inputs: { flag: Param.string({ default: 'yes' }) } },
  ({ flag }) => {
    ExitHandler(report(), () => {
      ParallelFor([1, 2, 3], (n) => {
        const made = first({ n });
        second({ n: made.outputs.doubled });
      });
      If(flag.eq('yes'), () => {
        gated({ flag });
      });
    });
  },
);

let client: Client;
let runId: string;
let graph: RunGraph;
const byName = (name: string): GraphNode => {
  const node = graph.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`no node ${name} in ${graph.nodes.map((candidate) => candidate.id).join(', ')}`);
  return node;
};

beforeAll(async () => {
  client = await openClient({ token: 'sesame' });
  const auth = { Authorization: 'Bearer sesame' };
  const created = await client.post<{ runId: string }>(
    '/apis/v2beta1/runs',
    await compilePipeline(graphPipeline),
  );
  expect(created.status).toBe(200);
  runId = created.body.runId;
  await waitForState(client, runId, ['FAILED', 'SUCCEEDED']);
  const response = await client.json<RunGraph>(`/apis/v2beta1/runs/${runId}/graph`, { headers: auth });
  expect(response.status).toBe(200);
  graph = response.body;
}, 60_000);

afterAll(async () => {
  await client?.server.close();
});

describe('GET /runs/{runId}/graph', () => {
  it('folds the loop into one node with its iterations and the leaf counts', () => {
    const loop = graph.nodes.find((node) => node.kind === 'LOOP')!;
    expect(loop.parent).toBe(byName('exit-handler-1').id);
    expect(loop.iterations?.map((iteration) => iteration.index)).toEqual([0, 1, 2]);
    expect(loop.iterations?.map((iteration) => iteration.state)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'SUCCEEDED',
    ]);
    expect(loop.counts).toEqual({ SUCCEEDED: 5, FAILED: 1 });
    expect(loop.state).toBe('FAILED');
    // The body is drawn once: its nodes summarise every iteration and point at no single task.
    const body = graph.nodes.filter((node) => node.parent === loop.id);
    expect(body.map((node) => node.name).sort()).toEqual(['first', 'second']);
    expect(byName('first')).toMatchObject({ taskPath: null, state: 'SUCCEEDED', counts: { SUCCEEDED: 3 } });
    expect(byName('second')).toMatchObject({ state: 'FAILED', counts: { SUCCEEDED: 2, FAILED: 1 } });
    expect(graph.edges).toContainEqual({ from: byName('first').id, to: byName('second').id });
  });

  it('shows sub-DAGs as groups, rolls leaf counts up, and marks the exit handler', () => {
    const handler = byName('exit-handler-1');
    expect(handler.kind).toBe('DAG');
    expect(handler.counts).toEqual({ SUCCEEDED: 6, FAILED: 1 });
    const gate = byName('gated');
    const condition = graph.nodes.find((node) => node.id === gate.parent)!;
    expect(condition).toMatchObject({ kind: 'DAG', parent: handler.id, state: 'SUCCEEDED' });
    expect(gate.taskPath).toBe(`${handler.name}/${condition.name}/gated`);
    const exit = byName('report');
    expect(exit).toMatchObject({ exitHandler: true, parent: null, state: 'SUCCEEDED', taskPath: 'report' });
    expect(graph.edges).toContainEqual({ from: handler.id, to: exit.id });
  });

  it('gives a run that has not started every node as PENDING', () => {
    const spec = JSON.parse(JSON.stringify(graph)) as RunGraph;
    expect(spec.nodes.length).toBeGreaterThan(0);
    const fresh = buildRunGraph({
      pipelineSpec: { root: { dag: { tasks: { a: { componentRef: { name: 'comp-a' } } } } } },
    });
    expect(fresh.nodes).toEqual([
      expect.objectContaining({ id: 'a', kind: 'CONTAINER', state: 'PENDING', counts: { PENDING: 1 } }),
    ]);
  });

  it('answers 404 naming runId for an unknown run, and 401 without the token', async () => {
    const auth = { Authorization: 'Bearer sesame' };
    const missing = await client.json<{ error: { field: string } }>('/apis/v2beta1/runs/nope/graph', {
      headers: auth,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.field).toBe('runId');
    expect((await fetch(`${client.server.url}/apis/v2beta1/runs/${runId}/graph`)).status).toBe(401);
  });
});

describe('GET /runs/{runId}/tasks/{taskPath}', () => {
  it('gives inputs, outputs, attempts and the cache decision of one task', async () => {
    const auth = { Authorization: 'Bearer sesame' };
    const loop = graph.nodes.find((node) => node.kind === 'LOOP')!;
    const path = `${loop.iterations![1]!.path}/second`;
    const { status, body } = await client.json<{
      path: string;
      state: string;
      inputs: { parameters: Record<string, unknown> };
      attempts: { number: number; exitCode: number | null }[];
      cache: { explanation: string | null };
    }>(`/apis/v2beta1/runs/${runId}/tasks/${encodeURIComponent(path)}`, { headers: auth });
    expect(status).toBe(200);
    expect(body).toMatchObject({ path, state: 'FAILED', inputs: { parameters: { n: 4 } } });
    expect(body.attempts.at(-1)?.exitCode).toBe(3);
    expect(body.cache.explanation).toContain('first run');
    const unknown = await client.json<{ error: { field: string } }>(
      `/apis/v2beta1/runs/${runId}/tasks/${encodeURIComponent('no/such')}`,
      { headers: auth },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.field).toBe('taskPath');
  });
});

describe('GET /pipelines/{id}/versions/{versionId}/graph', () => {
  it("draws an uploaded version's DAG without states", async () => {
    const auth = { Authorization: 'Bearer sesame', 'Content-Type': 'application/json' };
    const uploaded = await client.json<{
      pipeline: { pipelineId: string };
      version: { pipelineVersionId: string };
    }>('/apis/v2beta1/pipelines', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(await compilePipeline(graphPipeline)),
    });
    expect(uploaded.status).toBe(200);
    const { pipelineId } = uploaded.body.pipeline;
    const versionId = uploaded.body.version.pipelineVersionId;
    const preview = await client.json<RunGraph>(
      `/apis/v2beta1/pipelines/${pipelineId}/versions/${versionId}/graph`,
      {
        headers: auth,
      },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.nodes.map((node) => node.id).sort()).toEqual(
      graph.nodes.map((node) => node.id).sort(),
    );
    expect(new Set(preview.body.nodes.map((node) => node.state))).toEqual(new Set(['PENDING']));
    const wrong = await client.json(`/apis/v2beta1/pipelines/other/versions/${versionId}/graph`, {
      headers: auth,
    });
    expect(wrong.status).toBe(404);
  });
});

describe('the web UI', () => {
  it('serves its page and hashed assets without the token, with a strict content security policy', async () => {
    const page = await fetch(`${client.server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${client.server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('serves nothing but the files it listed at start', async () => {
    for (const path of [
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/nope.js',
      '/ui/dist/index.html',
      '/src/server/app.ts',
    ]) {
      const response = await fetch(`${client.server.url}${path}`);
      expect(response.status, path).not.toBe(200);
    }
  });
});
