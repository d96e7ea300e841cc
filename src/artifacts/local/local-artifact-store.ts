/**
 * Artifacts in a local directory (the default store):
 *
 *   <root>/<pipeline>/<run>/<task path…>/<attempt>/<output>     published, `file://` URI
 *   <root>/.staging/<attempt>+<output>                          where the attempt writes
 *
 * Staging sits under the same root so that publishing is one rename(2) on one filesystem: the final path
 * does not exist before and holds the complete content after, whether the artifact is a file or a
 * directory. The attempt id in both paths makes every final URI unique, so a retry never meets another
 * attempt's content.
 *
 * @example
 * const store = new LocalArtifactStore('/var/lib/sluice/artifacts');
 * const staged = await store.prepareOutput({ pipelineName: 'p', runId, taskPath: 'train', attemptId, outputName: 'model' });
 * // … the program writes staged.path …
 * const { uri, digest } = await store.publish(staged);
 */
import { lstatSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ArtifactAlreadyPublishedError,
  ArtifactLocationError,
  ArtifactNotWrittenError,
} from '../artifact-errors.ts';
import type { ArtifactStore, OutputLocation, PublishedArtifact, StagedArtifact } from '../artifact-store.ts';
import { digestPath } from './content-digest.ts';
import { safeSegment, safeTaskPath } from './path-segments.ts';

const STAGING = '.staging';

export class LocalArtifactStore implements ArtifactStore {
  /** Absolute root directory. */
  readonly root: string;
  readonly #staging: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.#staging = join(this.root, STAGING);
  }

  async prepareOutput(location: OutputLocation): Promise<StagedArtifact> {
    const attempt = safeSegment(location.attemptId);
    const output = safeSegment(location.outputName);
    const final = join(
      this.root,
      safeSegment(location.pipelineName),
      safeSegment(location.runId),
      ...safeTaskPath(location.taskPath),
      attempt,
      output,
    );
    // One flat level (`<attempt>+<output>`; `+` never occurs in a safe segment): nothing to clean up after the rename.
    const path = join(this.#staging, `${attempt}+${output}`);
    // Fresh and empty even if an earlier engine crashed while this attempt id was staging. Metadata calls
    // are synchronous: they take microseconds, less than a round trip through libuv's thread pool, and
    // every task pays them (see bench/).
    rmSync(path, { recursive: true, force: true });
    mkdirSync(dirname(path), { recursive: true });
    return { uri: pathToFileURL(final).href, path };
  }

  async publish(staged: StagedArtifact): Promise<PublishedArtifact> {
    const source = this.stagingPath(staged);
    const target = this.localPath(staged.uri);
    if (target === undefined || !isInside(this.root, target) || isInside(this.#staging, target)) {
      throw new ArtifactLocationError(staged.uri, `not a final URI of the artifact store at ${this.root}`);
    }
    if (!pathExists(source)) {
      if (pathExists(target)) throw new ArtifactAlreadyPublishedError(staged.uri);
      throw new ArtifactNotWrittenError(staged.uri, source);
    }
    // Final URIs are unique per attempt, so this check only catches a double publish, not a race.
    if (pathExists(target)) throw new ArtifactAlreadyPublishedError(staged.uri);
    const { digest, sizeBytes } = await digestPath(source);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(source, target);
    return { uri: staged.uri, digest, sizeBytes };
  }

  async discard(staged: StagedArtifact): Promise<void> {
    const source = this.stagingPath(staged);
    await rm(source, { recursive: true, force: true });
  }

  localPath(uri: string): string | undefined {
    if (uri.startsWith('file:')) {
      try {
        return fileURLToPath(uri);
      } catch {
        return undefined; // e.g. file://host/… names another machine
      }
    }
    return uri.startsWith('/') ? resolve(uri) : undefined;
  }

  async exists(uri: string): Promise<boolean> {
    const path = this.localPath(uri);
    return path !== undefined && pathExists(path);
  }

  async digestOf(uri: string): Promise<PublishedArtifact | undefined> {
    const path = this.localPath(uri);
    if (path === undefined || !pathExists(path)) return undefined;
    return { uri, ...(await digestPath(path)) };
  }

  /** The staging path of `staged`, refusing anything outside this store's staging area. */
  private stagingPath(staged: StagedArtifact): string {
    const path = resolve(staged.path);
    if (!isInside(this.#staging, path) || relative(this.#staging, path).split(sep).length !== 1) {
      throw new ArtifactLocationError(
        staged.path,
        `not a staging location of the artifact store at ${this.root}`,
      );
    }
    return path;
  }
}

function isInside(parent: string, path: string): boolean {
  const rel = relative(parent, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel);
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
