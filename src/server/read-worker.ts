/**
 * A read worker's body (started by read-pool.ts through read-worker-entry.mjs): its own connection to the
 * store file, answering `{ id, op }` messages with `{ id, json }` or `{ id, failure }`.
 *
 * It keeps recent answers and reuses one while the file's `data_version` is unchanged: this connection
 * never writes, so an unchanged version means no commit anywhere since the answer was computed. (Clients
 * that poll the same list, or a page that many people have open, then cost one pragma per request.)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteRunStore } from '../store/index.ts';
import { executeRead, type ReadOp, readFailureOf } from './read-ops.ts';

const CACHED_ANSWERS = 256;
/** Bigger answers are computed each time rather than held. */
const MAX_CACHED_CHARS = 512 * 1024;

const port = parentPort!;
const store = await openSqliteRunStore((workerData as { storePath: string }).storePath);
/** Answers by op, oldest first (a Map keeps insertion order; a hit moves to the end). */
const answers = new Map<string, { version: number; json: string }>();

async function answer(op: ReadOp): Promise<string> {
  const key = JSON.stringify(op);
  const version = store.externalChangeMark();
  const cached = answers.get(key);
  if (cached !== undefined) {
    answers.delete(key);
    if (cached.version === version) {
      answers.set(key, cached);
      return cached.json;
    }
  }
  const json = await executeRead(store, op);
  // Only if nothing committed while it was computed (the read's awaits let no other message in, but the
  // version is cheap to check, and a stale answer kept would be wrong until the next commit).
  if (json.length <= MAX_CACHED_CHARS && store.externalChangeMark() === version) {
    answers.set(key, { version, json });
    if (answers.size > CACHED_ANSWERS) answers.delete(answers.keys().next().value!);
  }
  return json;
}

port.on('message', (message: { id: number; op: ReadOp } | 'close') => {
  if (message === 'close') {
    void store.close().then(() => port.close());
    return;
  }
  answer(message.op).then(
    (json) => port.postMessage({ id: message.id, json }),
    (error: unknown) => port.postMessage({ id: message.id, failure: readFailureOf(error) }),
  );
});
port.postMessage('ready');
