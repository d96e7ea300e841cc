/**
 * Artifact downloads and logs never reach outside the artifact store: traversal and encoding payloads in
 * the URL, artifact records whose URIs point outside, and symlinks planted inside the store. Every one is
 * a 4xx, and no response ever carries the secret.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRunStore } from '../../src/store/index.ts';
import { type Client, openClient, specOf, tempHome, textPipeline, waitForState } from './helpers.ts';

const SECRET = 'TOP-SECRET-do-not-serve';
let client: Client;
let home: string;
let runId: string;
let artifactId: string;
let artifactPath: string;
let outside: string;

beforeAll(async () => {
  home = tempHome();
  outside = join(home, 'secret.txt'); // next to the store, not inside it
  writeFileSync(outside, SECRET);
  client = await openClient({ home });
  const created = await client.post<{ runId: string }>('/apis/v2beta1/runs', {
    pipelineSpec: await specOf(textPipeline),
  });
  runId = created.body.runId;
  await waitForState(client, runId, ['SUCCEEDED']);
  const lineage = await client.json<{ artifacts: { id: string; uri: string }[] }>(
    `/apis/v2beta1/lineage?runId=${runId}&task=write-text`,
  );
  artifactId = lineage.body.artifacts[0]!.id;
  artifactPath = fileURLToPath(lineage.body.artifacts[0]!.uri);
});
afterAll(async () => {
  await client.server.close();
});

const bases = [
  '..',
  '../..',
  '../../..',
  '%2e%2e',
  '%2E%2E',
  '%252e%252e',
  '..%2f..',
  '..%2F..%2F..',
  '%2e%2e%2f%2e%2e',
  '..%5c..',
  '..\\..',
  '%5c..%5c..',
  '..%c0%af..',
  '%c0%ae%c0%ae',
  '\u2024\u2024',
  '%e2%80%a4%e2%80%a4',
  '\uff0e\uff0e',
  '.%00.',
  '%00',
  '..%00',
  '%2f',
  '%2fetc%2fpasswd',
  '/etc/passwd',
  '%2F%2F..%2F..',
  '....//....//',
  '..;/..',
  '.%2e',
  '%2e.',
  'file:%2f%2f%2fetc%2fpasswd',
  'C:%5cWindows',
];
const targets = ['etc/passwd', 'secret.txt', '../secret.txt', 'sluice.db', ''];

function payloads(): string[] {
  const out = new Set<string>();
  for (const base of bases)
    for (const target of targets) {
      out.add(`${base}/${target}`);
      out.add(`${base}%2f${target}`);
      out.add(`${base}`);
    }
  return [...out];
}

function looksSafe(status: number, text: string) {
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('root:x:0');
  expect(text).not.toContain('SQLite format');
}

async function fetchRaw(path: string): Promise<{ status: number; text: string }> {
  // `fetch` normalises `..` segments; send the path as written to test the server, not the client.
  const { request } = await import('node:http');
  const url = new URL(client.server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('artifact download and log security', () => {
  it(`rejects ${payloads().length * 4} traversal and encoding payloads with a 4xx`, async () => {
    const list = payloads();
    expect(list.length).toBeGreaterThan(200);
    for (const payload of list) {
      const encoded = payload
        .replace(/[\u0080-\uffff]/g, (ch) => encodeURIComponent(ch))
        .replace(/ /g, '%20');
      const paths = [
        `/apis/v2beta1/artifacts/${encoded}:download`,
        `/apis/v2beta1/artifacts/${artifactId}/${encoded}:download`,
        `/apis/v2beta1/runs/${runId}/tasks/${encoded}/logs`,
        `/apis/v2beta1/runs/${runId}/tasks/write-text/logs?attempt=${encoded}`,
      ];
      for (const path of paths) {
        let response: { status: number; text: string };
        try {
          response = await fetchRaw(path.replace(/\\/g, '%5c'));
        } catch {
          continue; // the client refused to send it: nothing reached the server
        }
        looksSafe(response.status, response.text);
      }
    }
  }, 60_000);

  it('serves the real artifact, then refuses it once it is a symlink out of the store', async () => {
    const ok = await client.request(`/apis/v2beta1/artifacts/${artifactId}:download`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('hello');

    rmSync(artifactPath);
    symlinkSync(outside, artifactPath);
    const escaped = await client.request(`/apis/v2beta1/artifacts/${artifactId}:download`);
    looksSafe(escaped.status, await escaped.text());

    rmSync(artifactPath);
    symlinkSync('/etc/passwd', artifactPath);
    const absolute = await client.request(`/apis/v2beta1/artifacts/${artifactId}:download`);
    looksSafe(absolute.status, await absolute.text());
  });

  it('refuses artifact records whose URIs point outside the store, however they are spelled', async () => {
    const root = join(home, 'artifacts');
    mkdirSync(join(root, 'inner'), { recursive: true });
    symlinkSync(home, join(root, 'inner', 'up'));
    const uris = [
      'file:///etc/passwd',
      `file://${outside}`,
      `file://${root}/../secret.txt`,
      `file://${root}/%2e%2e/secret.txt`,
      `file://${root}/%252e%252e/secret.txt`,
      `file://${root}/inner/up/secret.txt`,
      `file://${root}/inner/..%2f..%2fsecret.txt`,
      `file://${root}/%00/../secret.txt`,
      `file://${root}\\..\\secret.txt`,
      `file://${root}`,
      `file://${root}/.staging/x`,
      `file://${home}/sluice.db`,
      '/etc/passwd',
      `${outside}`,
      'gs://bucket/secret.txt',
      'http://127.0.0.1/secret.txt',
      'file://remote-host/etc/passwd',
    ];
    const store = await openSqliteRunStore(join(home, 'sluice.db'));
    const [task] = (await store.getTasks(runId)).filter((t) => t.path === 'write-text');
    const now = new Date().toISOString();
    await store.commit({
      runId,
      newArtifacts: uris.map((uri, i) => ({
        id: `evil-${i}`,
        runId,
        taskId: task!.id,
        name: `evil${i}`,
        uri,
        schemaTitle: 'system.HTML',
        schemaVersion: '0.0.1',
        metadata: {},
        digest: null,
        sizeBytes: null,
        createdAt: now,
      })),
    });
    await store.close();
    for (let i = 0; i < uris.length; i++) {
      const response = await client.request(`/apis/v2beta1/artifacts/evil-${i}:download`);
      looksSafe(response.status, await response.text());
    }
    // A directory inside the store is refused with a message, not listed.
    const dir = await client.request('/apis/v2beta1/artifacts/evil-9:download');
    expect(dir.status).toBeGreaterThanOrEqual(400);
  });
});
