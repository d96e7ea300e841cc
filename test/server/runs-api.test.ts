import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  fixablePipeline,
  openClient,
  readSse,
  sleepPipeline,
  specOf,
  textPipeline,
  waitForState,
} from './helpers.ts';

interface Run {
  runId: string;
  state: string;
  pipeline: string;
  displayName: string | null;
  tasks: { name: string; state: string; attempts: number }[];
}

let client: Client;
beforeAll(async () => {
  client = await openClient();
});
afterAll(async () => {
  await client.server.close();
});

describe('runs over HTTP', () => {
  it('binds 127.0.0.1 and answers /healthz', async () => {
    expect(client.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await client.json('/healthz')).body).toMatchObject({ status: 'ok' });
  });

  it('creates a run, follows it over SSE until SUCCEEDED, gets it and its logs and artifact', async () => {
    const created = await client.post<Run>('/apis/v2beta1/runs', {
      pipelineSpec: await specOf(textPipeline),
      parameters: { text: 'from http' },
      displayName: 'first',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ pipeline: 'text-pipeline', displayName: 'first' });
    const { runId } = created.body;

    const events = await readSse(await client.request(`/apis/v2beta1/runs/${runId}/events`));
    const transitions = events.filter((event) => event.event === 'transition').map((e) => JSON.parse(e.data));
    expect(transitions.some((t) => t.taskId === null && t.to === 'SUCCEEDED')).toBe(true);
    expect(transitions.some((t) => t.taskPath === 'write-text' && t.to === 'SUCCEEDED')).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'end' });
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ runId, state: 'SUCCEEDED' });

    // Resuming after the last event gives only the end.
    const lastId = events.filter((event) => event.id).at(-1)!.id!;
    const resumed = await readSse(
      await client.request(`/apis/v2beta1/runs/${runId}/events`, { headers: { 'Last-Event-ID': lastId } }),
    );
    expect(resumed.map((event) => event.event)).toEqual(['end']);

    const got = await client.json<Run & { parameters: unknown }>(`/apis/v2beta1/runs/${runId}`);
    expect(got.body).toMatchObject({ runId, state: 'SUCCEEDED', parameters: { text: 'from http' } });
    expect(got.body.tasks.map((task) => [task.name, task.state])).toEqual([['write-text', 'SUCCEEDED']]);

    const logs = await client.request(`/apis/v2beta1/runs/${runId}/tasks/write-text/logs`);
    expect(logs.status).toBe(200);
    expect(await logs.text()).toBe('writing from http\n');

    const lineage = await client.json<{ artifacts: { id: string; uri: string }[] }>(
      `/apis/v2beta1/lineage?runId=${runId}&task=write-text`,
    );
    expect(lineage.status).toBe(200);
    const artifact = lineage.body.artifacts[0]!;
    const byUri = await client.json<{ artifacts: { id: string }[] }>(
      `/apis/v2beta1/lineage?uri=${encodeURIComponent(artifact.uri)}`,
    );
    expect(byUri.body.artifacts.map((a) => a.id)).toEqual([artifact.id]);

    const metadata = await client.json(`/apis/v2beta1/artifacts/${artifact.id}`);
    expect(metadata.body).toMatchObject({ artifactId: artifact.id, runId, name: 'data' });
    const download = await client.request(`/apis/v2beta1/artifacts/${artifact.id}:download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(await download.text()).toBe('from http');
  });

  it('accepts IR YAML text too, and lists runs with filters and pagination, newest first', async () => {
    const yaml = JSON.stringify(await specOf(textPipeline)); // JSON is YAML
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await client.post<Run>('/apis/v2beta1/runs', {
        pipelineYaml: yaml,
        parameters: { text: `n${i}` },
      });
      expect(created.status).toBe(200);
      ids.push(created.body.runId);
    }
    for (const id of ids) await waitForState(client, id, ['SUCCEEDED']);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.json<{ runs: Run[]; nextPageToken?: string }>(
        `/apis/v2beta1/runs?pipeline=text-pipeline&state=SUCCEEDED&pageSize=2${token ? `&pageToken=${token}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.runs.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.runs.map((run) => run.runId));
      token = page.body.nextPageToken;
    } while (token);
    expect(seen.length).toBe(4);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    const none = await client.json<{ runs: Run[] }>('/apis/v2beta1/runs?pipeline=other');
    expect(none.body.runs).toEqual([]);
  });

  it('cancels a sleeping run and follows its logs until it ends', async () => {
    const created = await client.post<Run>('/apis/v2beta1/runs', {
      pipelineSpec: await specOf(sleepPipeline),
      parameters: { seconds: 60 },
    });
    const { runId } = created.body;
    await waitForState(client, runId, ['RUNNING']);
    const follow = client.request(`/apis/v2beta1/runs/${runId}/tasks/sleeper/logs?follow=true`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const canceled = await client.post<Run>(`/apis/v2beta1/runs/${runId}:cancel`, undefined);
    expect(canceled.status).toBe(200);
    expect(['CANCELING', 'CANCELED']).toContain(canceled.body.state);
    const final = await waitForState(client, runId, ['CANCELED']);
    expect(final.state).toBe('CANCELED');
    const text = await (await follow).text();
    expect(text).toContain('line one\nline two\n');
    expect(text).not.toContain('done');
  });

  it('follows a log while the task is writing it, and ends with the run', async () => {
    const created = await client.post<Run>('/apis/v2beta1/runs', {
      pipelineSpec: await specOf(sleepPipeline),
      parameters: { seconds: 1 },
    });
    const { runId } = created.body;
    await waitForState(client, runId, ['RUNNING']);
    const response = await client.request(`/apis/v2beta1/runs/${runId}/tasks/sleeper/logs?follow=true`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('line one\nline two\ndone\n');
    expect((await client.json<Run>(`/apis/v2beta1/runs/${runId}`)).body.state).toBe('SUCCEEDED');
  });

  it('retries a failed run after its cause is fixed', async () => {
    const marker = join(client.server.home, 'marker');
    const created = await client.post<Run>('/apis/v2beta1/runs', {
      pipelineSpec: await specOf(fixablePipeline),
      parameters: { file: marker },
    });
    const { runId } = created.body;
    const failed = await waitForState(client, runId, ['FAILED', 'SUCCEEDED']);
    expect(failed.state).toBe('FAILED');
    // The run page's failure panel: the failed task, its error and the last lines it printed.
    const report = await client.json<{ failures: { task: string; logTail: string[] }[] }>(
      `/apis/v2beta1/runs/${runId}`,
    );
    expect(report.body.failures).toEqual([
      expect.objectContaining({ task: 'needs-file', logTail: expect.arrayContaining([`missing ${marker}`]) }),
    ]);
    const firstLog = await (await client.request(`/apis/v2beta1/runs/${runId}/tasks/needs-file/logs`)).text();
    expect(firstLog).toContain(`missing ${marker}`);

    writeFileSync(marker, 'fixed');
    const retried = await client.post<{ run: Run; rerun: string[] }>(
      `/apis/v2beta1/runs/${runId}:retry`,
      undefined,
    );
    expect(retried.status).toBe(200);
    expect(retried.body.rerun).toEqual(['needs-file']);
    const done = await waitForState(client, runId, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');

    const all = await (await client.request(`/apis/v2beta1/runs/${runId}/tasks/needs-file/logs`)).text();
    expect(all).toMatch(/^--- attempt 1 ---\n[\s\S]*missing[\s\S]*--- attempt 2 ---\nchecking /);
    const second = await (
      await client.request(`/apis/v2beta1/runs/${runId}/tasks/needs-file/logs?attempt=2`)
    ).text();
    expect(second).toBe(`checking ${marker}\n`);
    // Retrying a run that succeeded is a conflict, not a crash.
    const again = await client.post<{ error: { code: string } }>(
      `/apis/v2beta1/runs/${runId}:retry`,
      undefined,
    );
    expect(again.status).toBe(409);
  });

  it('serves an OpenAPI 3.1 document generated from the request schemas', async () => {
    const { status, body } = await client.json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/apis/v2beta1/runs',
        '/apis/v2beta1/runs/{runId}',
        '/apis/v2beta1/runs/{runId}:cancel',
        '/apis/v2beta1/runs/{runId}:retry',
        '/apis/v2beta1/runs/{runId}/tasks/{taskPath}/logs',
        '/apis/v2beta1/runs/{runId}/events',
        '/apis/v2beta1/artifacts/{artifactId}',
        '/apis/v2beta1/artifacts/{artifactId}:download',
        '/apis/v2beta1/lineage',
      ]),
    );
    expect(Object.keys(body.components.schemas)).toEqual(
      expect.arrayContaining(['Run', 'CreateRunRequest', 'Error', 'ListRunsResponse']),
    );
  });
});
