import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.ts';
import { type Client, openClient, specOf, tempHome, textPipeline } from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string; field?: string; issues?: { path: string }[] };
}

let client: Client;
beforeAll(async () => {
  client = await openClient();
});
afterAll(async () => {
  await client.server.close();
});

async function postRaw(body: string, contentType = 'application/json') {
  const response = await client.request('/apis/v2beta1/runs', {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

describe('bad requests', () => {
  it('malformed JSON is a 400 naming the body', async () => {
    const { status, body } = await postRaw('{"pipelineSpec": ');
    expect(status).toBe(400);
    expect(body.error.field).toBe('body');
  });

  it('a body that is not JSON is a 400', async () => {
    const { status, body } = await postRaw('pipelineSpec=1', 'application/x-www-form-urlencoded');
    expect(status).toBe(400);
    expect(body.error.field).toBe('Content-Type');
  });

  it('wrong types and unknown fields name the field', async () => {
    const wrong = await client.post<ErrorBody>('/apis/v2beta1/runs', { pipelineYaml: 42 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.field).toBe('pipelineYaml');
    const unknown = await client.post<ErrorBody>('/apis/v2beta1/runs', { pipelineYaml: 'x', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ field: 'colour', message: "unknown field 'colour'" });
    const cache = await client.post<ErrorBody>('/apis/v2beta1/runs', {
      pipelineSpec: await specOf(textPipeline),
      cache: 'yes',
    });
    expect(cache.body.error.field).toBe('cache');
    const neither = await client.post<ErrorBody>('/apis/v2beta1/runs', {});
    expect(neither.body.error.field).toBe('pipelineSpec');
    const array = await client.post<ErrorBody>('/apis/v2beta1/runs', [1, 2]);
    expect(array.status).toBe(400);
  });

  it('an invalid pipeline is a 400 with every IR issue and its path', async () => {
    const spec = (await specOf(textPipeline)) as { root: { dag: { tasks: Record<string, unknown> } } };
    spec.root.dag.tasks['write-text'] = { componentRef: { name: 'comp-missing' } };
    const { status, body } = await client.post<ErrorBody>('/apis/v2beta1/runs', { pipelineSpec: spec });
    expect(status).toBe(400);
    expect(body.error.code).toBe('IR_INVALID');
    expect(body.error.field).toBe('pipelineSpec');
    expect(body.error.issues!.some((issue) => issue.path.startsWith('root.dag.tasks.write-text'))).toBe(true);
    const yaml = await client.post<ErrorBody>('/apis/v2beta1/runs', { pipelineYaml: 'a: [unclosed' });
    expect(yaml.status).toBe(400);
    expect(yaml.body.error.field).toBe('pipelineYaml');
  });

  it('a parameter of the wrong type or an unknown parameter is a 400 naming parameters', async () => {
    const { status, body } = await client.post<ErrorBody>('/apis/v2beta1/runs', {
      pipelineSpec: await specOf(textPipeline),
      parameters: { nope: 1 },
    });
    expect(status).toBe(400);
    expect(body.error.field).toMatch(/^parameters/);
  });

  it('an oversize body is a 413', async () => {
    // Its own connection: the server answers before reading the whole body, then drops the socket.
    const { request } = await import('node:http');
    const url = new URL(client.server.url);
    const payload = JSON.stringify({ pipelineYaml: 'x'.repeat(1024 * 1024 + 10) });
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/apis/v2beta1/runs',
          method: 'POST',
          agent: false,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: body }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    expect(status).toBe(413);
    expect((JSON.parse(text) as ErrorBody).error.code).toBe('BODY_TOO_LARGE');
  });

  it('unknown runs, tasks, artifacts and endpoints are 404s; bad query values are 400s naming them', async () => {
    for (const path of [
      '/apis/v2beta1/runs/00000000-0000-0000-0000-000000000000',
      '/apis/v2beta1/runs/nope/events',
      '/apis/v2beta1/runs/nope/tasks/x/logs',
      '/apis/v2beta1/artifacts/nope',
      '/apis/v2beta1/artifacts/nope:download',
      '/apis/v2beta1/nothing',
    ]) {
      const { status, body } = await client.json<ErrorBody>(path);
      expect(status, path).toBe(404);
      expect(body.error.code).toMatch(/NOT_FOUND/);
    }
    const cancel = await client.post<ErrorBody>('/apis/v2beta1/runs/nope:cancel', undefined);
    expect(cancel.status).toBe(404);
    for (const [query, field] of [
      ['pageSize=1001', 'pageSize'],
      ['pageSize=abc', 'pageSize'],
      ['state=DONE', 'state'],
      ['pageToken=!!', 'pageToken'],
      ['pageToken=e30', 'pageToken'],
      ['sort=asc', 'sort'],
    ]) {
      const { status, body } = await client.json<ErrorBody>(`/apis/v2beta1/runs?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.field, query).toBe(field);
    }
    const lineage = await client.json<ErrorBody>('/apis/v2beta1/lineage');
    expect(lineage.status).toBe(400);
    const noUri = await client.json<ErrorBody>('/apis/v2beta1/lineage?uri=file%3A%2F%2F%2Fnone');
    expect(noUri.status).toBe(404);
  });
});

describe('bearer token', () => {
  it('is required everywhere but /healthz when set, compared exactly', async () => {
    const secured = await openClient({ token: 's3cret-token' });
    try {
      const url = secured.server.url;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const variants: Record<string, string>[] = [
        {},
        { Authorization: 'Bearer wrong' },
        { Authorization: 'Bearer s3cret-token-and-more' },
        { Authorization: 'Bearer s3cret-toke' },
        { Authorization: 'bearer s3cret-token extra' },
        { Authorization: 'Basic czNjcmV0LXRva2Vu' },
      ];
      for (const headers of variants) {
        for (const path of ['/apis/v2beta1/runs', '/openapi.json', '/apis/v2beta1/nothing']) {
          const response = await fetch(`${url}${path}`, { headers });
          expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
          expect(((await response.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
        }
      }
      const post = await fetch(`${url}/apis/v2beta1/runs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(post.status).toBe(401);
      expect((await secured.json('/apis/v2beta1/runs')).status).toBe(200);
    } finally {
      await secured.server.close();
    }
  });

  it('without a token, the API is open; an empty token refuses to start', async () => {
    expect((await client.json('/apis/v2beta1/runs')).status).toBe(200);
    await expect(startServer({ home: tempHome(), port: 0, token: '' })).rejects.toThrow(/empty/);
  });
});

describe('bad requests to experiments, run storage, sorting and the artifact list', () => {
  const expectField = async (
    response: Promise<{ status: number; body: unknown }>,
    status: number,
    field: string,
  ) => {
    const { status: actual, body } = await response;
    expect(actual, JSON.stringify(body)).toBe(status);
    expect((body as ErrorBody).error.field).toBe(field);
  };
  const del = (path: string) => client.json(path, { method: 'DELETE' });

  it('experiments: missing or unknown fields, bad pages and unknown ids name the field', async () => {
    await expectField(client.post('/apis/v2beta1/experiments', {}), 400, 'name');
    await expectField(client.post('/apis/v2beta1/experiments', { name: '   ' }), 400, 'name');
    await expectField(client.post('/apis/v2beta1/experiments', { name: 'x', colour: 1 }), 400, 'colour');
    await expectField(client.post('/apis/v2beta1/experiments', { name: 'x'.repeat(201) }), 400, 'name');
    await expectField(client.json('/apis/v2beta1/experiments?pageSize=0'), 400, 'pageSize');
    await expectField(client.json('/apis/v2beta1/experiments?pageToken=%21%21'), 400, 'pageToken');
    await expectField(client.json('/apis/v2beta1/experiments?storageState=GONE'), 400, 'storageState');
    await expectField(client.json('/apis/v2beta1/experiments/nope'), 404, 'experimentId');
    await expectField(del('/apis/v2beta1/experiments/nope'), 404, 'experimentId');
    await expectField(client.post('/apis/v2beta1/experiments/nope:archive', {}), 404, 'experimentId');
    await expectField(client.post('/apis/v2beta1/experiments/nope:unarchive', {}), 404, 'experimentId');
    const action = await client.post<ErrorBody>('/apis/v2beta1/experiments/nope:explode', {});
    expect(action.status).toBe(404);
    expect(action.body.error.code).toBe('NOT_FOUND');
  });

  it('runs: unknown experiments, sortBy, storageState and run ids name the field', async () => {
    await expectField(
      client.post('/apis/v2beta1/runs', { pipelineSpec: await specOf(textPipeline), experimentId: 'nope' }),
      404,
      'experimentId',
    );
    await expectField(
      client.post('/apis/v2beta1/runs', { pipelineSpec: await specOf(textPipeline), experimentId: '' }),
      400,
      'experimentId',
    );
    await expectField(client.json('/apis/v2beta1/runs?experimentId=nope'), 404, 'experimentId');
    for (const sortBy of ['bogus', 'created_at sideways', 'name;drop', 'id desc', ''])
      await expectField(
        client.json(`/apis/v2beta1/runs?sortBy=${encodeURIComponent(sortBy)}`),
        400,
        'sortBy',
      );
    await expectField(client.json('/apis/v2beta1/runs?storageState=DELETED'), 400, 'storageState');
    const legacy = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url');
    expect((await client.json(`/apis/v2beta1/runs?pageToken=${legacy}`)).status).toBe(200);
    await expectField(client.json(`/apis/v2beta1/runs?pageToken=${legacy}&sortBy=name`), 400, 'pageToken');
    const forged = Buffer.from(JSON.stringify(['name', 'up', 'a', 'b'])).toString('base64url');
    await expectField(client.json(`/apis/v2beta1/runs?pageToken=${forged}&sortBy=name`), 400, 'pageToken');
    await expectField(del('/apis/v2beta1/runs/nope'), 404, 'runId');
    await expectField(client.post('/apis/v2beta1/runs/nope:archive', {}), 404, 'runId');
    await expectField(client.post('/apis/v2beta1/runs/nope:unarchive', {}), 404, 'runId');
    const action = await client.post<ErrorBody>('/apis/v2beta1/runs/nope:shred', {});
    expect(action.status).toBe(404);
  });

  it('artifact list: bad type, page size, token, unknown fields and runs name the field', async () => {
    await expectField(client.json('/apis/v2beta1/artifacts?type=system%20Model'), 400, 'type');
    await expectField(client.json('/apis/v2beta1/artifacts?pageSize=abc'), 400, 'pageSize');
    await expectField(client.json('/apis/v2beta1/artifacts?pageSize=1001'), 400, 'pageSize');
    await expectField(client.json('/apis/v2beta1/artifacts?pageToken=%7B%7D'), 400, 'pageToken');
    await expectField(client.json('/apis/v2beta1/artifacts?colour=red'), 400, 'colour');
    await expectField(client.json('/apis/v2beta1/artifacts?runId=nope'), 404, 'runId');
  });

  it('every new route is in /openapi.json', async () => {
    const { body } = await client.json<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
    const expected: [string, string][] = [
      ['/apis/v2beta1/experiments', 'post'],
      ['/apis/v2beta1/experiments', 'get'],
      ['/apis/v2beta1/experiments/{experimentId}', 'get'],
      ['/apis/v2beta1/experiments/{experimentId}', 'delete'],
      ['/apis/v2beta1/experiments/{experimentId}:archive', 'post'],
      ['/apis/v2beta1/experiments/{experimentId}:unarchive', 'post'],
      ['/apis/v2beta1/runs/{runId}', 'delete'],
      ['/apis/v2beta1/runs/{runId}:archive', 'post'],
      ['/apis/v2beta1/runs/{runId}:unarchive', 'post'],
      ['/apis/v2beta1/artifacts', 'get'],
    ];
    for (const [path, method] of expected)
      expect(body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const listRuns = JSON.stringify(body.paths['/apis/v2beta1/runs']?.get);
    for (const name of ['sortBy', 'storageState', 'experimentId']) expect(listRuns).toContain(`"${name}"`);
  });
});
