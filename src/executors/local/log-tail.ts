/** The last lines of an attempt's log, for failure messages; reads only the end of the file. */
import { open } from 'node:fs/promises';

const TAIL_BYTES = 8192;

export async function readLogTail(path: string, lines: number): Promise<string[]> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\s+$/, '');
    if (text === '') return [];
    const all = text.split(/\r?\n/);
    // The first line may be cut in the middle when the file is longer than what was read.
    if (size > length) all.shift();
    return all.slice(-lines);
  } catch {
    return [];
  } finally {
    await handle?.close();
  }
}
