/**
 * Bearer-token auth (SLUICE_TOKEN). Fails closed: an empty token is refused at start-up, and any request
 * without exactly `Authorization: Bearer <token>` gets 401. The comparison is constant-time (both sides are
 * hashed first, so neither the content nor the length of the token leaks through timing).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError, errorResponse } from './api-error.ts';

export function bearerAuth(token: string): MiddlewareHandler {
  if (token.length === 0)
    throw new Error('the API token is empty; set SLUICE_TOKEN to a secret, or unset it');
  const expected = digest(token);
  return async (c, next) => {
    if (c.req.path === '/healthz') return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([^\s]+)$/.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="sluice"');
      return errorResponse(
        c,
        new ApiError(
          401,
          'UNAUTHENTICATED',
          'this server needs Authorization: Bearer <SLUICE_TOKEN>',
          'Authorization',
        ),
      );
    }
    return next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
