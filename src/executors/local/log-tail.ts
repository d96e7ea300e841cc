/** Reading attempt logs: the last lines (failure messages) or what was added since an offset (following). */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

const TAIL_BYTES = 8192;

/**
 * The last `lines` lines of a log ([] when it does not exist). Synchronous inside on purpose: reading at
 * most TAIL_BYTES of a local file costs microseconds, while open, stat, read and close through the thread
 * pool each wait for a turn of a busy event loop (the API's get-run of a failed run measured a 200 ms p99
 * at 50 concurrent clients that way).
 */
export async function readLogTail(path: string, lines: number): Promise<string[]> {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const { size } = fstatSync(fd);
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\s+$/, '');
    if (text === '') return [];
    const all = text.split(/\r?\n/);
    // The first line may be cut in the middle when the file is longer than what was read.
    if (size > length) all.shift();
    return all.slice(-lines);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The bytes of a log from `offset` on; empty when there are none yet or the file does not exist (yet). */
export async function readLogFrom(path: string, offset: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } catch {
    return Buffer.alloc(0); // not created yet (the attempt is starting) or removed with its run
  } finally {
    await handle?.close();
  }
}
