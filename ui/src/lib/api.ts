/**
 * The one way the UI talks to the server: JSON requests with the bearer token (kept in localStorage when
 * the server asks for one), text streams for following logs, and run events read from the SSE endpoint
 * with fetch (EventSource cannot send an Authorization header).
 */
export const API = '/apis/v2beta1';
const TOKEN_KEY = 'sluice.token';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
  window.dispatchEvent(new Event('sluice-token'));
}

function headers(extra?: HeadersInit): Headers {
  const result = new Headers(extra);
  const token = getToken();
  if (token) result.set('Authorization', `Bearer ${token}`);
  return result;
}

async function failure(response: Response): Promise<ApiRequestError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; field?: string } };
    return new ApiRequestError(
      response.status,
      body.error?.code ?? 'ERROR',
      body.error?.message ?? response.statusText,
      body.error?.field,
    );
  } catch {
    return new ApiRequestError(response.status, 'ERROR', `${response.status} ${response.statusText}`);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${API}${path}`, {
    ...init,
    headers: headers(init.body ? { 'Content-Type': 'application/json', ...init.headers } : init.headers),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export const post = <T>(path: string, body?: unknown) =>
  api<T>(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Calls `onText` with each chunk of a text response until it ends or `signal` aborts. */
export async function streamText(
  path: string,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(`${API}${path}`, { headers: headers(), signal });
  if (!response.ok || !response.body) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    onText(value);
  }
}

/** The first `maxBytes` of an artifact's content as text (datasets can be large; the rest is not read). */
export async function artifactHead(
  artifactId: string,
  maxBytes: number,
): Promise<{ text: string; more: boolean }> {
  const response = await fetch(`${API}/artifacts/${encodeURIComponent(artifactId)}:download`, {
    headers: headers(),
  });
  if (!response.ok || !response.body) throw await failure(response);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let more = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= maxBytes) {
      more = true;
      await reader.cancel();
      break;
    }
  }
  const joined = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.length, joined.length - offset));
    joined.set(part, offset);
    offset += part.length;
    if (offset >= joined.length) break;
  }
  return { text: new TextDecoder().decode(joined), more };
}

/** Saves an artifact through a blob URL, so the token travels in a header and never in a link. */
export async function downloadArtifact(artifactId: string, fileName: string): Promise<void> {
  const response = await fetch(`${API}/artifacts/${encodeURIComponent(artifactId)}:download`, {
    headers: headers(),
  });
  if (!response.ok) throw await failure(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Calls `onEvent` for every run/task state change; reconnects with Last-Event-ID until `signal` aborts. */
export async function followRunEvents(
  runId: string,
  onEvent: () => void,
  signal: AbortSignal,
): Promise<void> {
  let lastId: string | undefined;
  while (!signal.aborted) {
    try {
      const response = await fetch(`${API}/runs/${encodeURIComponent(runId)}/events`, {
        headers: headers(lastId ? { 'Last-Event-ID': lastId } : {}),
        signal,
      });
      if (!response.ok || !response.body) return;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of block.split('\n')) if (line.startsWith('id:')) lastId = line.slice(3).trim();
          if (/^event: ?end$/m.test(block)) return void onEvent();
          if (block.includes('data:')) onEvent();
          end = buffer.indexOf('\n\n');
        }
      }
      return;
    } catch {
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

export const patch = <T>(path: string, body: unknown) =>
  api<T>(path, { method: 'PATCH', body: JSON.stringify(body) });

export const del = <T>(path: string) => api<T>(path, { method: 'DELETE' });
