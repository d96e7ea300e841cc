/**
 * What every ArtifactStore must do (src/artifacts/artifact-store.ts), run against each backend:
 * `artifactStoreContract('local', async () => ({ store, cleanup }))`. Content is written only at the staged
 * `path`, as a component would.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore, OutputLocation, StagedArtifact } from '../../src/artifacts/index.ts';

export interface ArtifactStoreFixture {
  store: ArtifactStore;
  cleanup(): Promise<void>;
}

let counter = 0;
export function outputLocation(overrides: Partial<OutputLocation> = {}): OutputLocation {
  counter++;
  return {
    pipelineName: 'train-pipeline',
    runId: 'run-1',
    taskPath: 'for-loop-2[0]/train',
    attemptId: `attempt-${counter}`,
    outputName: 'model',
    ...overrides,
  };
}

/** Writes a small directory tree at a staged path. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = `${root}/${name}`;
    await mkdir(file.slice(0, file.lastIndexOf('/')), { recursive: true });
    await writeFile(file, content);
  }
}

export function artifactStoreContract(name: string, make: () => Promise<ArtifactStoreFixture>): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let fixture: ArtifactStoreFixture;
    let store: ArtifactStore;
    beforeEach(async () => {
      fixture = await make();
      store = fixture.store;
    });
    afterEach(() => fixture.cleanup());

    async function publishTree(files: Record<string, string>, location = outputLocation()) {
      const staged = await store.prepareOutput(location);
      await writeTree(staged.path, files);
      return store.publish(staged);
    }

    it('keeps staged content invisible until publish, then shows all of it at the final URI', async () => {
      const staged = await store.prepareOutput(outputLocation());
      await writeFile(staged.path, 'weights');
      expect(await store.exists(staged.uri)).toBe(false);
      const published = await store.publish(staged);
      expect(published.uri).toBe(staged.uri);
      expect(await store.exists(staged.uri)).toBe(true);
      expect(published.sizeBytes).toBe(7);
      // a file's digest is the sha256 of its bytes (printf weights | sha256sum)
      expect(published.digest).toBe(
        'sha256:9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c',
      );
    });

    it('publishes directories whole, with a digest of names and contents', async () => {
      const files = { 'a.txt': 'alpha', 'sub/b.bin': 'beta', 'sub/deeper/c': '' };
      const first = await publishTree(files);
      const again = await publishTree(files);
      expect(again.uri).not.toBe(first.uri);
      expect(again.digest).toBe(first.digest);
      expect(first.sizeBytes).toBe(9);
      const changedContent = await publishTree({ ...files, 'a.txt': 'alphA' });
      const renamed = await publishTree({ 'A.txt': 'alpha', 'sub/b.bin': 'beta', 'sub/deeper/c': '' });
      const moved = await publishTree({ 'a.txt': 'alpha', 'sub/b.bin': 'beta', 'sub/c': '' });
      const digests = new Set([first, changedContent, renamed, moved].map((p) => p.digest));
      expect(digests.size).toBe(4);
      expect(await store.digestOf(first.uri)).toEqual(first);
    });

    it('gives every attempt its own final URI', async () => {
      const location = outputLocation();
      const a = await store.prepareOutput(location);
      const b = await store.prepareOutput({ ...location, attemptId: `${location.attemptId}-retry` });
      expect(a.uri).not.toBe(b.uri);
      expect(a.path).not.toBe(b.path);
    });

    it('fails clearly when publishing a staging location nothing was written to', async () => {
      const staged = await store.prepareOutput(outputLocation({ outputName: 'metrics' }));
      await expect(store.publish(staged)).rejects.toMatchObject({ code: 'ARTIFACT_NOT_WRITTEN' });
      expect(await store.exists(staged.uri)).toBe(false);
    });

    it('refuses to publish the same staged output twice', async () => {
      const staged = await store.prepareOutput(outputLocation());
      await writeFile(staged.path, 'x');
      await store.publish(staged);
      await expect(store.publish(staged)).rejects.toMatchObject({ code: 'ARTIFACT_ALREADY_PUBLISHED' });
    });

    it('discards staged content, leaving nothing at the final URI; discarding twice is fine', async () => {
      const staged = await store.prepareOutput(outputLocation());
      await writeTree(staged.path, { 'part-0': 'x' });
      await store.discard(staged);
      await store.discard(staged);
      expect(await store.exists(staged.uri)).toBe(false);
      await expect(store.publish(staged)).rejects.toMatchObject({ code: 'ARTIFACT_NOT_WRITTEN' });
    });

    it('gives a fresh, empty staging location even when the attempt id was used before', async () => {
      const location = outputLocation();
      const first: StagedArtifact = await store.prepareOutput(location);
      await writeFile(first.path, 'left over by a crashed engine');
      const second = await store.prepareOutput(location);
      await expect(store.publish(second)).rejects.toMatchObject({ code: 'ARTIFACT_NOT_WRITTEN' });
    });

    it('answers digestOf and exists for URIs with nothing there', async () => {
      const staged = await store.prepareOutput(outputLocation());
      expect(await store.exists(staged.uri)).toBe(false);
      expect(await store.digestOf(staged.uri)).toBeUndefined();
    });
  });
}
