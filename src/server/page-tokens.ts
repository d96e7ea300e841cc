/**
 * Page tokens: opaque to clients, base64url of a JSON array of strings (where the page ended: the last
 * item's sort key and id). Anything else given back is refused with a 400 naming `pageToken`.
 */
import { ApiError } from './api-error.ts';

export function encodePageToken(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function invalidPageToken(): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', 'pageToken is not a token this server issued', 'pageToken');
}

/** The strings a token this server issued carries (each at most 1,000 characters). */
export function decodePageToken(token: string): string[] {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalidPageToken();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidPageToken();
  }
  if (!Array.isArray(value) || !value.every((part) => typeof part === 'string' && part.length <= 1000))
    throw invalidPageToken();
  return value as string[];
}

/** The `(createdAt, id)` cursor the artifact and experiment lists page with. */
export function decodeCreatedAtToken(token: string): { createdAt: string; id: string } {
  const parts = decodePageToken(token);
  const [createdAt, id] = parts;
  if (
    parts.length !== 2 ||
    createdAt === undefined ||
    id === undefined ||
    createdAt.length > 100 ||
    id.length > 200
  )
    throw invalidPageToken();
  return { createdAt, id };
}
