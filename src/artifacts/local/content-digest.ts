/**
 * Content digests, streamed so that a large artifact is never read into memory at once. A file's digest
 * is the sha256 of its bytes (what `sha256sum` prints). A directory's is the sha256 of a manifest with one
 * line per entry in sorted relative-path order: `d <path>` for a directory, `f <path> <sha256>` for a file,
 * `l <path> <target>` for a symlink (not followed), paths JSON-quoted so no name can forge a line. It
 * changes with any byte, any name and any empty directory, and with nothing else (not mtimes, not order
 * on disk).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface ContentDigest {
  /** `sha256:<hex>` */
  digest: string;
  sizeBytes: number;
}

const PARALLEL_FILES = 8;

export async function digestPath(path: string): Promise<ContentDigest> {
  const info = statSync(path);
  if (!info.isDirectory())
    return { digest: `sha256:${await digestFile(path, info.size)}`, sizeBytes: info.size };
  const entries = await listTree(path, '');
  entries.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  const files = entries.filter((entry) => entry.kind === 'f');
  const fileDigests = new Map<string, string>();
  for (let i = 0; i < files.length; i += PARALLEL_FILES) {
    const batch = files.slice(i, i + PARALLEL_FILES);
    const digests = await Promise.all(batch.map((entry) => digestFile(join(path, entry.relative))));
    for (const [index, entry] of batch.entries()) fileDigests.set(entry.relative, digests[index]!);
  }
  const manifest = createHash('sha256');
  let sizeBytes = 0;
  for (const entry of entries) {
    const quoted = JSON.stringify(entry.relative);
    if (entry.kind === 'f') {
      manifest.update(`f ${quoted} ${fileDigests.get(entry.relative)}\n`);
      sizeBytes += entry.size;
    } else if (entry.kind === 'l') manifest.update(`l ${quoted} ${JSON.stringify(entry.target)}\n`);
    else manifest.update(`${entry.kind} ${quoted}\n`);
  }
  return { digest: `sha256:${manifest.digest('hex')}`, sizeBytes };
}

/** Files up to this size are hashed in one read; larger ones are streamed so memory stays flat. */
const READ_WHOLE_BYTES = 4 * 1024 * 1024;

function digestFile(path: string, size?: number): Promise<string> {
  if (size !== undefined && size <= READ_WHOLE_BYTES) {
    return Promise.resolve(createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

interface TreeEntry {
  /** POSIX relative path. */
  relative: string;
  /** d directory, f file, l symlink, o anything else (socket, fifo). */
  kind: 'd' | 'f' | 'l' | 'o';
  size: number;
  target?: string;
}

async function listTree(root: string, prefix: string): Promise<TreeEntry[]> {
  const names = await readdir(prefix === '' ? root : join(root, prefix));
  const nested = await Promise.all(
    names.map(async (name): Promise<TreeEntry[]> => {
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const absolute = join(root, relative);
      const info = await lstat(absolute);
      if (info.isDirectory()) return [{ relative, kind: 'd', size: 0 }, ...(await listTree(root, relative))];
      if (info.isFile()) return [{ relative, kind: 'f', size: info.size }];
      if (info.isSymbolicLink()) return [{ relative, kind: 'l', size: 0, target: await readlink(absolute) }];
      return [{ relative, kind: 'o', size: 0 }];
    }),
  );
  return nested.flat();
}
