/**
 * A read worker's body (started by read-pool.ts through read-worker-entry.mjs): its own connection to the
 * store file, answering `{ id, op }` messages with `{ id, json }` or `{ id, failure }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteRunStore } from '../store/index.ts';
import { executeRead, type ReadOp, readFailureOf } from './read-ops.ts';

const port = parentPort!;
const store = await openSqliteRunStore((workerData as { storePath: string }).storePath);

port.on('message', (message: { id: number; op: ReadOp } | 'close') => {
  if (message === 'close') {
    void store.close().then(() => port.close());
    return;
  }
  executeRead(store, message.op).then(
    (json) => port.postMessage({ id: message.id, json }),
    (error: unknown) => port.postMessage({ id: message.id, failure: readFailureOf(error) }),
  );
});
port.postMessage('ready');
