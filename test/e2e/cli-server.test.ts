/**
 * `sluice server` as a user starts it: a real process on a free port of 127.0.0.1, a run created over
 * HTTP and followed to the end, the same run seen by the CLI on the shared store, and a token that fails
 * closed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import { component, Param, pipeline } from '../../src/index.ts';
import { repoRoot, runSluice } from './sluice-cli.ts';

const echo = component({
  name: 'echo',
  image: 'alpine',
  inputs: { text: Param.string() },
  command: ['sh', '-c', 'echo "$0"'],
  args: ({ inputs }) => [inputs.text],
});
const hello = pipeline(
  { name: 'server-hello', inputs: { text: Param.string({ default: 'hi' }) } },
  ({ text }) => {
    echo({ text });
  },
);

function startServerProcess(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/sluice.js'), 'server', '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /sluice server on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('close', (code) => reject(new Error(`server exited with ${code} before listening: ${out}`)));
  });
  return { child, url, closed };
}

describe('sluice server', () => {
  it('runs a pipeline created over HTTP; the CLI sees it; Ctrl-C stops the server', {
    timeout: 120_000,
  }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-server-'));
    const server = startServerProcess({ SLUICE_HOME: home });
    try {
      const url = await server.url;
      const created = await fetch(`${url}/apis/v2beta1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...(await compilePipeline(hello)), parameters: { text: 'over http' } }),
      });
      expect(created.status).toBe(200);
      const { runId } = (await created.json()) as { runId: string };
      const events = await (await fetch(`${url}/apis/v2beta1/runs/${runId}/events`)).text();
      expect(events).toContain('"to":"SUCCEEDED"');
      const logs = await (await fetch(`${url}/apis/v2beta1/runs/${runId}/tasks/echo/logs`)).text();
      expect(logs).toContain('over http');
      const shown = await runSluice(['show', runId, '--json'], { env: { SLUICE_HOME: home } });
      expect(JSON.parse(shown.stdout)).toMatchObject({ runId, state: 'SUCCEEDED', pipeline: 'server-hello' });
    } finally {
      server.child.kill('SIGINT');
    }
    expect(await server.closed).toBe(0);
  });

  it('requires the bearer token when SLUICE_TOKEN is set', { timeout: 60_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'sluice-server-'));
    const server = startServerProcess({ SLUICE_HOME: home, SLUICE_TOKEN: 'sesame' });
    try {
      const url = await server.url;
      expect((await fetch(`${url}/apis/v2beta1/runs`)).status).toBe(401);
      expect(
        (await fetch(`${url}/apis/v2beta1/runs`, { headers: { authorization: 'Bearer nope' } })).status,
      ).toBe(401);
      const ok = await fetch(`${url}/apis/v2beta1/runs`, { headers: { authorization: 'Bearer sesame' } });
      expect(ok.status).toBe(200);
    } finally {
      server.child.kill('SIGINT');
    }
    await server.closed;
  });

  it('refuses a bad SLUICE_READ_WORKERS with one line and exit code 2, before opening anything', {
    timeout: 30_000,
  }, async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'sluice-server-')), 'home');
    const result = await runSluice(['server', '--port', '0'], {
      env: { SLUICE_HOME: home, SLUICE_READ_WORKERS: 'lots' },
    });
    expect([result.code, result.stderr]).toEqual([
      2,
      "error: SLUICE_READ_WORKERS must be a whole number from 0 to 64 (0 turns read workers off), not 'lots'\n",
    ]);
    expect(existsSync(home)).toBe(false);
  });

  it('says why it cannot listen, in one line with exit code 2: a port in use, an address not of this machine', {
    timeout: 60_000,
  }, async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'sluice-server-')), 'home');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const inUse = await runSluice(['server', '--port', String(port)], { env: { SLUICE_HOME: home } });
      expect([inUse.code, inUse.stderr]).toEqual([
        2,
        `error: cannot listen: 127.0.0.1:${port} is in use (another sluice server?); stop it, or choose another port with --port N (0 picks a free one)\n`,
      ]);
    } finally {
      taken.close();
    }
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    const elsewhere = await runSluice(['server', '--host', '192.0.2.1', '--port', '0'], {
      env: { SLUICE_HOME: home },
    });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toBe(
      'error: cannot listen: 192.0.2.1 is not an address of this machine; use --host with one of its addresses (127.0.0.1, or 0.0.0.0 for all)\n',
    );
  });
});
