/** `GET /artifacts`: artifacts newest first, of one run and/or one type, keyset-paged. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { RunStore } from '../store/index.ts';
import { ApiError } from './api-error.ts';
import { decodeCreatedAtToken, encodePageToken } from './page-tokens.ts';
import { ArtifactSchema, ErrorSchema } from './schemas.ts';

const ListArtifactsQuerySchema = z.strictObject({
  runId: z.string().min(1).max(200).optional().openapi({ description: "only this run's artifacts" }),
  type: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,200}$/, 'a schema title such as system.Model')
    .optional()
    .openapi({ description: 'only artifacts of this schema title, e.g. `system.Model`, `system.Metrics`' }),
  pageSize: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'default 100' }),
  pageToken: z.string().max(1000).optional().openapi({ description: 'nextPageToken of the previous page' }),
});

const ListArtifactsResponseSchema = z
  .object({
    artifacts: z.array(ArtifactSchema),
    nextPageToken: z.string().optional().openapi({ description: 'absent on the last page' }),
  })
  .openapi('ListArtifactsResponse');

export function registerArtifactListRoutes(app: OpenAPIHono, prefix: string, store: RunStore): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: `${prefix}/artifacts`,
      summary: 'List artifacts, newest first, optionally of one run and/or one type',
      request: { query: ListArtifactsQuerySchema },
      responses: {
        200: {
          description: 'a page of artifacts',
          content: { 'application/json': { schema: ListArtifactsResponseSchema } },
        },
        400: { description: 'invalid request', content: { 'application/json': { schema: ErrorSchema } } },
        401: {
          description: 'missing or wrong bearer token',
          content: { 'application/json': { schema: ErrorSchema } },
        },
        404: { description: 'no such run', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const pageSize = query.pageSize ?? 100;
      const before = query.pageToken === undefined ? undefined : decodeCreatedAtToken(query.pageToken);
      if (query.runId !== undefined && (await store.getRun(query.runId)) === undefined)
        throw new ApiError(404, 'RUN_NOT_FOUND', `no run '${query.runId}' in this store`, 'runId');
      const artifacts = await store.listArtifacts({
        ...(query.runId === undefined ? {} : { runId: query.runId }),
        ...(query.type === undefined ? {} : { schemaTitle: query.type }),
        ...(before ? { before } : {}),
        limit: pageSize + 1,
      });
      const page = artifacts.slice(0, pageSize);
      const last = page[page.length - 1];
      return c.json(
        {
          artifacts: page.map(({ id, ...rest }) => ({ artifactId: id, ...rest })),
          ...(artifacts.length > pageSize && last
            ? { nextPageToken: encodePageToken([last.createdAt, last.id]) }
            : {}),
        },
        200,
      );
    },
  );
}
