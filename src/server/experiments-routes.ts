/**
 * Experiments (KFP v2beta1's Experiment): named groups of runs. `default` ("Default") always exists and
 * takes every run created without an experiment (API runs without `experimentId`, CLI runs). Archiving an
 * experiment archives its runs, as in KFP; unarchiving it leaves them archived. An experiment with runs
 * cannot be deleted: delete (or keep) its runs first.
 */
import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  DEFAULT_EXPERIMENT_ID,
  ExperimentNameTakenError,
  type ExperimentSummary,
  type RunStore,
} from '../store/index.ts';
import { ApiError } from './api-error.ts';
import { decodeCreatedAtToken, encodePageToken } from './page-tokens.ts';
import { ErrorSchema } from './schemas.ts';

export const ExperimentSchema = z
  .object({
    experimentId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    storageState: z.enum(['AVAILABLE', 'ARCHIVED']),
    createdAt: z.string(),
    runCount: z.number().int().openapi({ description: 'runs in the experiment, archived ones included' }),
  })
  .openapi('Experiment');

export const CreateExperimentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ description: 'unique across the store' }),
    description: z.string().max(2000).optional(),
  })
  .openapi('CreateExperimentRequest');

const ListExperimentsQuerySchema = z.strictObject({
  storageState: z
    .enum(['AVAILABLE', 'ARCHIVED', 'ALL'])
    .optional()
    .openapi({ description: 'default AVAILABLE' }),
  pageSize: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'default 100' }),
  pageToken: z.string().max(1000).optional().openapi({ description: 'nextPageToken of the previous page' }),
});

const ListExperimentsResponseSchema = z
  .object({
    experiments: z.array(ExperimentSchema),
    nextPageToken: z.string().optional().openapi({ description: 'absent on the last page' }),
  })
  .openapi('ListExperimentsResponse');

const ExperimentIdParamSchema = z.object({
  experimentId: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'experimentId', in: 'path' } }),
});

const ArchiveExperimentResponseSchema = z
  .object({
    experiment: ExperimentSchema,
    archivedRuns: z.number().int().openapi({ description: 'runs this request archived with the experiment' }),
  })
  .openapi('ArchiveExperimentResponse');

const DeleteExperimentResponseSchema = z
  .object({ experimentId: z.string(), deleted: z.literal(true) })
  .openapi('DeleteExperimentResponse');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json(ErrorSchema, 'invalid request'),
  401: json(ErrorSchema, 'missing or wrong bearer token'),
  404: json(ErrorSchema, 'not found'),
};

export function registerExperimentRoutes(app: OpenAPIHono, prefix: string, store: RunStore): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: `${prefix}/experiments`,
      summary: 'Create an experiment',
      request: {
        body: { required: true, content: { 'application/json': { schema: CreateExperimentSchema } } },
      },
      responses: {
        200: json(ExperimentSchema, 'the new experiment'),
        ...errors,
        409: json(ErrorSchema, 'an experiment of that name exists'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const id = randomUUID();
      try {
        await store.createExperiment({
          id,
          name: body.name,
          description: body.description ?? null,
          storageState: 'AVAILABLE',
          createdAt: new Date().toISOString(),
        });
      } catch (error) {
        if (error instanceof ExperimentNameTakenError)
          throw new ApiError(409, error.code, error.message, 'name');
        throw error;
      }
      return c.json(experimentView(await requireExperiment(store, id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/experiments`,
      summary: 'List experiments, newest first (archived ones only when asked for)',
      request: { query: ListExperimentsQuerySchema },
      responses: { 200: json(ListExperimentsResponseSchema, 'a page of experiments'), ...errors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const pageSize = query.pageSize ?? 100;
      const before = query.pageToken === undefined ? undefined : decodeCreatedAtToken(query.pageToken);
      const storageState = query.storageState ?? 'AVAILABLE';
      const experiments = await store.listExperiments({
        ...(storageState === 'ALL' ? {} : { storageState }),
        ...(before ? { before } : {}),
        limit: pageSize + 1,
      });
      const page = experiments.slice(0, pageSize);
      const last = page[page.length - 1];
      return c.json(
        {
          experiments: page.map(experimentView),
          ...(experiments.length > pageSize && last
            ? {
                nextPageToken: encodePageToken([last.createdAt, last.id]),
              }
            : {}),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/experiments/{experimentId}`,
      summary: 'Get an experiment',
      request: { params: ExperimentIdParamSchema },
      responses: { 200: json(ExperimentSchema, 'the experiment'), ...errors },
    }),
    async (c) =>
      c.json(experimentView(await requireExperiment(store, c.req.valid('param').experimentId)), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${prefix}/experiments/{experimentId}`,
      summary: 'Delete an experiment that has no runs (delete its runs first)',
      request: { params: ExperimentIdParamSchema },
      responses: {
        200: json(DeleteExperimentResponseSchema, 'deleted'),
        ...errors,
        409: json(ErrorSchema, 'the experiment still has runs, or is Default'),
      },
    }),
    async (c) => {
      const { experimentId } = c.req.valid('param');
      if (experimentId === DEFAULT_EXPERIMENT_ID)
        throw new ApiError(
          409,
          'EXPERIMENT_IS_DEFAULT',
          'the Default experiment cannot be deleted: runs without an experiment go there',
          'experimentId',
        );
      const runs = await store.deleteExperiment(experimentId);
      if (runs === undefined) throw notFound(experimentId);
      if (runs > 0)
        throw new ApiError(
          409,
          'EXPERIMENT_HAS_RUNS',
          `experiment '${experimentId}' has ${runs} run${runs === 1 ? '' : 's'} (archived ones included); delete ${runs === 1 ? 'it' : 'them'} first (DELETE ${prefix}/runs/{runId})`,
          'experimentId',
        );
      return c.json({ experimentId, deleted: true as const }, 200);
    },
  );

  // `POST /experiments/{experimentId}:archive` and `:unarchive`: one segment, so one route that splits it.
  for (const action of ['archive', 'unarchive'] as const)
    app.openAPIRegistry.registerPath({
      method: 'post',
      path: `${prefix}/experiments/{experimentId}:${action}`,
      summary:
        action === 'archive'
          ? 'Archive an experiment and its runs (hidden from default lists, not deleted)'
          : 'Unarchive an experiment (its runs stay archived until unarchived one by one)',
      request: { params: ExperimentIdParamSchema },
      responses: {
        200: json(ArchiveExperimentResponseSchema, 'the experiment'),
        ...errors,
        409: json(ErrorSchema, 'the Default experiment cannot be archived'),
      },
    });
  app.post(`${prefix}/experiments/:target`, async (c) => {
    const target = c.req.param('target');
    const match = /^([^:]{1,200}):(archive|unarchive)$/.exec(target);
    if (!match)
      throw new ApiError(
        404,
        'NOT_FOUND',
        `no endpoint POST ${c.req.path}; use {experimentId}:archive or {experimentId}:unarchive`,
      );
    const experimentId = match[1]!;
    const archive = match[2] === 'archive';
    if (archive && experimentId === DEFAULT_EXPERIMENT_ID)
      throw new ApiError(
        409,
        'EXPERIMENT_IS_DEFAULT',
        'the Default experiment cannot be archived: runs without an experiment go there',
        'experimentId',
      );
    const archivedRuns = await store.setExperimentStorageState(
      experimentId,
      archive ? 'ARCHIVED' : 'AVAILABLE',
    );
    if (archivedRuns === undefined) throw notFound(experimentId);
    return c.json(
      { experiment: experimentView(await requireExperiment(store, experimentId)), archivedRuns },
      200,
    );
  });
}

/**
 * The experiment a new run goes into: undefined (Default) when none is asked for; 404 for an unknown one,
 * 409 for an archived one (KFP refuses runs in archived experiments too).
 */
export async function requireExperimentForRun(
  store: RunStore,
  experimentId: string | undefined,
): Promise<string | undefined> {
  if (experimentId === undefined) return undefined;
  const experiment = await requireExperiment(store, experimentId);
  if (experiment.storageState === 'ARCHIVED')
    throw new ApiError(
      409,
      'EXPERIMENT_ARCHIVED',
      `experiment '${experiment.name}' is archived; unarchive it (POST .../experiments/${experimentId}:unarchive) or choose another`,
      'experimentId',
    );
  return experimentId;
}

async function requireExperiment(store: RunStore, experimentId: string): Promise<ExperimentSummary> {
  const experiment = await store.getExperiment(experimentId);
  if (!experiment) throw notFound(experimentId);
  return experiment;
}

function notFound(experimentId: string): ApiError {
  return new ApiError(
    404,
    'EXPERIMENT_NOT_FOUND',
    `no experiment '${experimentId}' in this store`,
    'experimentId',
  );
}

function experimentView(experiment: ExperimentSummary): z.infer<typeof ExperimentSchema> {
  return {
    experimentId: experiment.id,
    name: experiment.name,
    description: experiment.description,
    storageState: experiment.storageState,
    createdAt: experiment.createdAt,
    runCount: experiment.runCount,
  };
}
