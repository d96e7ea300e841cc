/**
 * The web UI's built files (ui/dist, made by `npm run build:ui`, which `npm install` runs). They are code
 * without data, so they are served without the bearer token (a browser cannot send one when it opens a
 * page); everything the UI shows comes from the API, which keeps its token. Only files listed when the
 * server starts are served, so no request path ever reaches the file system.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';

export const UI_DIST = fileURLToPath(new URL('../../ui/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// Artifact previews render in sandboxed srcdoc frames; the page itself runs only its own scripts.
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "frame-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Sluice</title>
<p>The web UI is not built. Run <code>npm run build:ui</code> (or <code>npm install</code>) in the Sluice folder, then reload.
The API is at <a href="/openapi.json">/openapi.json</a>.</p>`;

export function registerUiAssets(app: OpenAPIHono, dist: string = UI_DIST): void {
  const files = new Map<string, Buffer>();
  if (existsSync(join(dist, 'index.html')))
    for (const file of listFiles(dist)) files.set(file, readFileSync(join(dist, file)));
  const index = files.get('index.html');
  const headers = (type: string, cache: string) => ({
    'Content-Type': type,
    'Cache-Control': cache,
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
  const page = () =>
    index
      ? new Response(new Uint8Array(index), { headers: headers(TYPES['.html']!, 'no-cache') })
      : new Response(NOT_BUILT, { status: 503, headers: headers(TYPES['.html']!, 'no-store') });
  app.get('/', page);
  app.get('/index.html', page);
  app.get('/assets/:file{.+}', (c, next) => {
    const name = `assets/${c.req.param('file')}`;
    const body = files.get(name);
    if (!body) return next();
    // Vite puts a content hash in every asset name, so a name never changes content.
    return new Response(new Uint8Array(body), {
      headers: headers(
        TYPES[extname(name)] ?? 'application/octet-stream',
        'public, max-age=31536000, immutable',
      ),
    });
  });
}

function listFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
}
