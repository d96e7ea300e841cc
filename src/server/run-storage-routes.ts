/**
 * Deleting and archiving runs. Archiving hides a run from the default list (`storageState=ARCHIVED` or
 * `ALL` shows it) and keeps everything. Deleting needs a final run (cancel it first) and removes its records
 * and files, except what other runs use: a cache hit in another run points at this run's artifacts, so
 * those files stay, and their records move to the run that reused them (its lineage and downloads stay
 * whole). The response lists what was removed and what was kept, and why.
 */
import { lstat, realpath, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { FINAL_RUN_STATES } from '../engine/index.ts';
import type { DeleteRunResult, RunStore } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import type { BackgroundRuns } from './background-runs.ts';
import { requireRunSummary, runListItem } from './run-list.ts';
import { ErrorSchema, RunIdParamSchema, RunListItemSchema } from './schemas.ts';

const KeptFileSchema = z
  .object({
    uri: z.string(),
    reason: z.string(),
    runIds: z.array(z.string()).openapi({ description: 'the other runs whose records use it' }),
  })
  .openapi('KeptFile');

export const DeleteRunResponseSchema = z
  .object({
    runId: z.string(),
    deleted: z.literal(true),
    removedArtifacts: z.array(z.string()).openapi({ description: 'URIs of the artifact files removed' }),
    removedLogDirectory: z
      .string()
      .nullable()
      .openapi({ description: "the run's logs and attempt working directories, removed" }),
    kept: z.array(KeptFileSchema).openapi({ description: 'files of the run left in place, and why' }),
    reassignedArtifacts: z
      .array(z.object({ artifactId: z.string(), uri: z.string(), runId: z.string() }))
      .openapi({ description: "artifact records other runs' cache hits use, now listed under that run" }),
  })
  .openapi('DeleteRunResponse');

type DeleteRunResponse = z.infer<typeof DeleteRunResponseSchema>;
type Deleted = Extract<DeleteRunResult, { outcome: 'deleted' }>;

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json(ErrorSchema, 'invalid request'),
  401: json(ErrorSchema, 'missing or wrong bearer token'),
  404: json(ErrorSchema, 'not found'),
};

export interface RunStorageDependencies {
  store: RunStore;
  /** SLUICE_HOME: only files under `<home>/artifacts` and `<home>/runs/<runId>` are ever removed. */
  home: string;
  background: BackgroundRuns;
}

export function registerRunStorageRoutes(
  app: OpenAPIHono,
  prefix: string,
  { store, home, background }: RunStorageDependencies,
): void {
  app.openapi(
    createRoute({
      method: 'delete',
      path: `${prefix}/runs/{runId}`,
      summary: "Delete a final run: its records and files, except files other runs' cache hits use",
      request: { params: RunIdParamSchema },
      responses: {
        200: json(DeleteRunResponseSchema, 'what was removed and what was kept'),
        ...errors,
        409: json(ErrorSchema, 'the run is not final; cancel it first'),
      },
    }),
    async (c) => {
      const { runId } = c.req.valid('param');
      const notFinal = (state: string) =>
        new ApiError(
          409,
          'RUN_NOT_FINAL',
          `run ${runId} is ${state}; cancel it first (POST ${prefix}/runs/${runId}:cancel), then delete it once it is CANCELED`,
          'runId',
        );
      if (background.isDriving(runId)) throw notFinal('still being driven');
      const result = await store.deleteRun(runId, [...FINAL_RUN_STATES]);
      if (result.outcome === 'not-found')
        throw new ApiError(404, 'RUN_NOT_FOUND', `no run '${runId}' in this store`, 'runId');
      if (result.outcome === 'refused') throw notFinal(result.state);
      return c.json(await removeRunFiles(home, runId, result), 200);
    },
  );

  for (const action of ['archive', 'unarchive'] as const)
    app.openAPIRegistry.registerPath({
      method: 'post',
      path: `${prefix}/runs/{runId}:${action}`,
      summary:
        action === 'archive'
          ? 'Archive a run: hidden from the default run list, nothing deleted'
          : 'Unarchive a run (its experiment must not be archived)',
      request: { params: RunIdParamSchema },
      responses: {
        200: json(RunListItemSchema, 'the run'),
        ...errors,
        409: json(ErrorSchema, "the run's experiment is archived"),
      },
    });
  // A regex in the path: only `{runId}:archive` and `{runId}:unarchive` reach this handler.
  app.post(`${prefix}/runs/:target{[^/:]{1,200}:(?:archive|unarchive)}`, async (c) => {
    const target = c.req.param('target');
    const colon = target.lastIndexOf(':');
    const runId = target.slice(0, colon);
    const archive = target.slice(colon + 1) === 'archive';
    const run = await requireRunSummary(store, runId);
    if (!archive) {
      const experiment = await store.getExperiment(run.experimentId);
      if (experiment?.storageState === 'ARCHIVED')
        throw new ApiError(
          409,
          'EXPERIMENT_ARCHIVED',
          `run ${runId} belongs to the archived experiment '${experiment.name}'; unarchive the experiment first`,
          'runId',
        );
    }
    await store.setRunStorageState(runId, archive ? 'ARCHIVED' : 'AVAILABLE');
    return c.json(runListItem(await requireRunSummary(store, runId)), 200);
  });
}

/**
 * Removes the files of a deleted run that no other run uses: artifact files inside `<home>/artifacts`
 * (never through a symlinked directory, never the staging area), then the run's own directory under
 * `<home>/runs`. Everything else is reported as kept.
 */
async function removeRunFiles(home: string, runId: string, deleted: Deleted): Promise<DeleteRunResponse> {
  const kept: DeleteRunResponse['kept'] = [];
  const keptUris = new Set<string>();
  for (const artifact of deleted.reassignedArtifacts) {
    keptUris.add(artifact.uri);
    kept.push({
      uri: artifact.uri,
      reason: `a cache hit in run ${artifact.runId} reused it; its record now belongs to that run`,
      runIds: [artifact.runId],
    });
  }
  for (const shared of deleted.sharedUris) {
    if (keptUris.has(shared.uri)) continue;
    keptUris.add(shared.uri);
    kept.push({
      uri: shared.uri,
      reason: "other runs' artifacts point at the same file",
      runIds: shared.runIds,
    });
  }
  const root = resolve(home, 'artifacts');
  const realRoot = await realpath(root).catch(() => undefined);
  const removedArtifacts: string[] = [];
  for (const uri of new Set(deleted.removedArtifacts.map((artifact) => artifact.uri))) {
    if (keptUris.has(uri)) continue;
    const path = realRoot === undefined ? undefined : await storeFile(realRoot, uri);
    if (path === undefined) {
      kept.push({ uri, reason: "not a file of this home's artifact store", runIds: [] });
      continue;
    }
    await rm(path, { recursive: true, force: true });
    removedArtifacts.push(uri);
    await pruneEmptyDirectories(dirname(path), realRoot!);
  }
  let removedLogDirectory: string | null = null;
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(runId)) {
    const runDirectory = join(home, 'runs', runId);
    if ((await lstat(runDirectory).catch(() => undefined))?.isDirectory()) {
      await rm(runDirectory, { recursive: true, force: true });
      removedLogDirectory = runDirectory;
    }
    for (const attempt of deleted.attemptPaths)
      if (!inside(runDirectory, attempt.workDir))
        kept.push({ uri: attempt.workDir, reason: "outside this home's run directory", runIds: [] });
  }
  return {
    runId,
    deleted: true,
    removedArtifacts,
    removedLogDirectory,
    kept,
    reassignedArtifacts: deleted.reassignedArtifacts.map(({ id, uri, runId: to }) => ({
      artifactId: id,
      uri,
      runId: to,
    })),
  };
}

/** The path a `file://` URI names when its directory resolves inside the store root (not staging). */
async function storeFile(realRoot: string, uri: string): Promise<string | undefined> {
  if (!uri.startsWith('file://')) return undefined;
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || !isAbsolute(path)) return undefined;
  const parent = await realpath(dirname(resolve(path))).catch(() => undefined);
  if (parent === undefined) return undefined;
  const target = join(parent, resolve(path).split(sep).pop()!);
  const within = relative(realRoot, target);
  if (!inside(realRoot, target) || within.split(sep)[0] === '.staging') return undefined;
  return target;
}

function inside(root: string, path: string): boolean {
  const within = relative(resolve(root), resolve(path));
  return within !== '' && !within.startsWith(`..${sep}`) && within !== '..' && !isAbsolute(within);
}

/** Removes now-empty directories from `directory` up to (not including) `root`. */
async function pruneEmptyDirectories(directory: string, root: string): Promise<void> {
  let current = directory;
  while (inside(root, current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}
