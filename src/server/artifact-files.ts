/**
 * Which file an artifact download may serve: only a regular file inside the artifact store's root, after
 * every symlink is resolved (realpath), never the staging area. URIs recorded by importers may point
 * anywhere (`file:///etc/passwd`), and a task may leave a symlink behind, so the recorded URI is never
 * trusted: it is decoded once, checked for NUL and backslashes, resolved, and compared with the root's
 * own real path.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from './api-error.ts';

export interface ServableFile {
  path: string;
  size: number;
  /** The name offered in Content-Disposition. */
  fileName: string;
}

const STAGING = '.staging';

export async function resolveArtifactFile(storeRoot: string, uri: string): Promise<ServableFile> {
  const refuse = (why: string) =>
    new ApiError(403, 'ARTIFACT_OUTSIDE_STORE', `artifact cannot be downloaded: ${why}`);
  if (!uri.startsWith('file://')) throw refuse('it is not a local file of this store');
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    throw refuse('its URI is not a valid file URI');
  }
  if (path.includes('\0') || path.includes('\\') || !isAbsolute(path))
    throw refuse('its path is not a plain absolute path');
  let root: string;
  try {
    root = await realpath(resolve(storeRoot));
  } catch {
    throw new ApiError(404, 'ARTIFACT_FILE_MISSING', 'the artifact store holds no files yet');
  }
  let real: string;
  try {
    real = await realpath(resolve(path));
  } catch {
    throw new ApiError(404, 'ARTIFACT_FILE_MISSING', 'the artifact file no longer exists');
  }
  const inside = relative(root, real);
  if (
    inside === '' ||
    inside.startsWith(`..${sep}`) ||
    inside === '..' ||
    isAbsolute(inside) ||
    inside.split(sep)[0] === STAGING
  )
    throw refuse('it is outside the artifact store');
  const info = await stat(real);
  if (info.isDirectory())
    throw new ApiError(
      400,
      'ARTIFACT_IS_DIRECTORY',
      'the artifact is a directory; download its files from the artifact store directly',
    );
  if (!info.isFile()) throw refuse('it is not a regular file');
  const fileName = real.split(sep).pop() ?? 'artifact';
  return { path: real, size: info.size, fileName };
}

/** A Content-Disposition header value safe for any file name. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_') || 'artifact';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Content types by extension; HTML is served with a sandboxing CSP (see the route). */
export function contentTypeOf(fileName: string): { type: string; html: boolean } {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const html = extension === 'html' || extension === 'htm' || extension === 'xhtml' || extension === 'svg';
  const types: Record<string, string> = {
    json: 'application/json',
    csv: 'text/csv; charset=utf-8',
    txt: 'text/plain; charset=utf-8',
    md: 'text/markdown; charset=utf-8',
    html: 'text/html; charset=utf-8',
    htm: 'text/html; charset=utf-8',
    svg: 'image/svg+xml',
    png: 'image/png',
  };
  return { type: types[extension] ?? 'application/octet-stream', html };
}
