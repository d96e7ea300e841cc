/**
 * The API server: KFP v2beta1-style REST over the engine and store, with server-sent events and safe
 * artifact downloads.
 *
 * @module
 * @example
 * import { startServer } from '../server/index.ts';
 * const { url, close } = await startServer({ home, host: '127.0.0.1', port: 8888, token });
 */

export { ApiError, type ApiErrorBody } from './api-error.ts';
export { API_PREFIX, type AppDependencies, createApp, MAX_BODY_BYTES } from './app.ts';
export { BackgroundRuns } from './background-runs.ts';
export { type RunningServer, type ServerOptions, startServer } from './start-server.ts';
