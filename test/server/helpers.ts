/** Server tests' harness: a real server on 127.0.0.1 (free port) over a temporary SLUICE_HOME. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePipeline } from '../../src/compiler/index.ts';
import { component, Dataset, Param, pipeline } from '../../src/index.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../src/server/index.ts';

const sh = (script: string) => ['sh', '-c', script];

export const writeText = component({
  name: 'write-text',
  image: 'alpine',
  inputs: { text: Param.string() },
  outputs: { data: Dataset },
  command: ({ inputs, outputs }) => [
    ...sh('echo "writing $0"; printf %s "$0" > "$1"'),
    inputs.text,
    outputs.data.path,
  ],
});

const sleeper = component({
  name: 'sleeper',
  image: 'alpine',
  inputs: { seconds: Param.int() },
  command: ({ inputs }) => [
    ...sh('echo "line one"; sleep 1; echo "line two"; sleep "$0"; echo done'),
    inputs.seconds,
  ],
});

const needsFile = component({
  name: 'needs-file',
  image: 'alpine',
  inputs: { file: Param.string() },
  command: ({ inputs }) => [
    ...sh('echo "checking $0"; test -f "$0" || { echo "missing $0" >&2; exit 3; }'),
    inputs.file,
  ],
});

export const textPipeline = pipeline(
  { name: 'text-pipeline', inputs: { text: Param.string({ default: 'hello' }) } },
  ({ text }) => {
    writeText({ text });
  },
);

export const sleepPipeline = pipeline(
  { name: 'sleep-pipeline', inputs: { seconds: Param.int({ default: 1 }) } },
  ({ seconds }) => {
    sleeper({ seconds });
  },
);

export const fixablePipeline = pipeline(
  { name: 'fixable-pipeline', inputs: { file: Param.string({ default: '/nonexistent' }) } },
  ({ file }) => {
    needsFile({ file });
  },
);

/** The pipeline's PipelineSpec as plain JSON, as a client would send it. */
export async function specOf(definition: Parameters<typeof compilePipeline>[0]): Promise<unknown> {
  return JSON.parse(JSON.stringify((await compilePipeline(definition)).pipelineSpec));
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'sluice-server-'));
}

export interface Client {
  server: RunningServer;
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  post<T = unknown>(path: string, body: unknown): Promise<{ status: number; body: T }>;
}

export async function openClient(
  options: { home?: string; token?: string; readWorkers?: ServerOptions['readWorkers'] } = {},
): Promise<Client> {
  const server = await startServer({
    home: options.home ?? tempHome(),
    port: 0,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.readWorkers === undefined ? {} : { readWorkers: options.readWorkers }),
  });
  const auth: Record<string, string> =
    options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
  const request = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers as Record<string, string>) },
    });
  const json = async <T>(path: string, init?: RequestInit) => {
    const response = await request(path, init);
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    server,
    request,
    json,
    post: (path, body) =>
      json(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads a server-sent event stream to its end. */
export async function readSse(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (key === 'id') event.id = value;
        else if (key === 'event') event.event = value;
        else if (key === 'data') event.data += value;
      }
      return event;
    });
}

export async function waitForState(client: Client, runId: string, states: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await client.json<{ state: string; tasks: { name: string; state: string }[] }>(
      `/apis/v2beta1/runs/${runId}`,
    );
    if (states.includes(body.state)) return body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
