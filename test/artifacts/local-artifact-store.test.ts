import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../../src/artifacts/index.ts';
import { artifactStoreContract, outputLocation, writeTree } from '../contracts/artifact-store.contract.ts';

artifactStoreContract('local', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'sluice-artifacts-'));
  return { store: new LocalArtifactStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describe('LocalArtifactStore', () => {
  let root: string;
  let store: LocalArtifactStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sluice-artifacts-'));
    store = new LocalArtifactStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lays out final URIs by pipeline, run, task path, attempt and output; staging beside them', async () => {
    const staged = await store.prepareOutput({
      pipelineName: 'my-pipeline',
      runId: 'r-42',
      taskPath: 'for-loop-2[0]/train',
      attemptId: 'a1',
      outputName: 'model',
    });
    expect(staged.uri).toBe(
      pathToFileURL(path.join(root, 'my-pipeline/r-42/for-loop-2_0_/train/a1/model')).href,
    );
    expect(staged.path).toBe(path.join(root, '.staging/a1+model'));
    expect((await lstat(path.dirname(staged.path))).isDirectory()).toBe(true);
    await writeFile(staged.path, 'm');
    await store.publish(staged);
    expect(await readFile(fileURLToPath(staged.uri), 'utf8')).toBe('m');
    // nothing is left in staging once the output is published
    expect(await readdir(path.join(root, '.staging'))).toEqual([]);
  });

  it('keeps every name inside the root, whatever the task path or names hold', async () => {
    const nasty = await store.prepareOutput({
      pipelineName: '..',
      runId: '../../etc',
      taskPath: '/../../x/./.staging/a b',
      attemptId: '../attempt',
      outputName: '../../passwd',
    });
    const final = fileURLToPath(nasty.uri);
    expect(path.relative(root, final).startsWith('..')).toBe(false);
    expect(path.relative(root, nasty.path).startsWith('..')).toBe(false);
    expect(path.relative(root, final).split(path.sep)).toEqual([
      '_..',
      '_.._.._etc',
      '_..',
      '_..',
      'x',
      '_.',
      '_.staging',
      'a_b',
      '_.._attempt',
      '_.._.._passwd',
    ]);
    expect(path.relative(root, nasty.path).split(path.sep)).toEqual([
      '.staging',
      '_.._attempt+_.._.._passwd',
    ]);
  });

  it('refuses to publish or discard paths it did not hand out', async () => {
    const outside = { uri: pathToFileURL('/etc/passwd').href, path: path.join(root, '..', 'elsewhere') };
    await expect(store.discard(outside)).rejects.toMatchObject({ code: 'ARTIFACT_LOCATION_INVALID' });
    const staged = await store.prepareOutput(outputLocation());
    await writeFile(staged.path, 'x');
    await expect(store.publish({ ...staged, uri: 'file:///etc/passwd' })).rejects.toMatchObject({
      code: 'ARTIFACT_LOCATION_INVALID',
    });
  });

  it('maps file:// URIs and absolute paths to local paths, and nothing else', () => {
    expect(store.localPath('file:///data/x%20y')).toBe('/data/x y');
    expect(store.localPath('/data/x')).toBe('/data/x');
    expect(store.localPath('s3://bucket/key')).toBeUndefined();
    expect(store.localPath('relative/path')).toBeUndefined();
  });

  it('digests imported files and directories by path or URI, the same way as published ones', async () => {
    const imported = path.join(root, 'imported');
    await writeTree(imported, { 'x.csv': '1,2\n', 'nested/y': 'y' });
    const byPath = await store.digestOf(imported);
    const byUri = await store.digestOf(pathToFileURL(imported).href);
    expect(byPath?.digest).toBe(byUri?.digest);
    const staged = await store.prepareOutput(outputLocation());
    await writeTree(staged.path, { 'x.csv': '1,2\n', 'nested/y': 'y' });
    expect((await store.publish(staged)).digest).toBe(byPath?.digest);
    expect(await store.digestOf('s3://bucket/key')).toBeUndefined();
  });

  it('records symlinks inside a directory by target without following them', async () => {
    const staged = await store.prepareOutput(outputLocation());
    await writeTree(staged.path, { data: 'd' });
    await symlink('/etc/passwd', path.join(staged.path, 'link'));
    const published = await store.publish(staged);
    const other = await store.prepareOutput(outputLocation());
    await writeTree(other.path, { data: 'd' });
    await symlink('/etc/hosts', path.join(other.path, 'link'));
    expect((await store.publish(other)).digest).not.toBe(published.digest);
    expect(published.sizeBytes).toBe(1);
  });

  it('digests an 8 MiB file', async () => {
    const staged = await store.prepareOutput(outputLocation());
    await writeFile(staged.path, Buffer.alloc(8 * 1024 * 1024, 7));
    const published = await store.publish(staged);
    expect(published.sizeBytes).toBe(8 * 1024 * 1024);
    expect(published.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
