/**
 * The run list (`GET /runs`) and the run fields every run view shares: filters, the sort order, keyset page
 * tokens that carry the sort, and list items built from `RunSummary` (one store call per page: the store
 * reads the page, its versions' names and its metrics in one snapshot, never per run).
 */
import type { z } from '@hono/zod-openapi';
import { reportOfDetail } from '../engine/index.ts';
import {
  RUN_SORT_FIELDS,
  type RunListQuery,
  type RunSortField,
  type RunStore,
  type RunSummary,
} from '../store/index.ts';
import { ApiError } from './api-error.ts';
import { decodePageToken, encodePageToken, invalidPageToken } from './page-tokens.ts';
import type { ListRunsQuerySchema, RunListItemSchema, RunSchema } from './schemas.ts';

type RunView = z.infer<typeof RunSchema>;

type RunListItem = z.infer<typeof RunListItemSchema>;

export const DEFAULT_PAGE_SIZE = 100;

/** `sortBy` as KFP writes it: a field, optionally followed by `asc` or `desc` (default `desc`). */
export const SORT_BY_PATTERN = new RegExp(`^(${RUN_SORT_FIELDS.join('|')})(?:[ +](asc|desc))?$`);

export interface RunSort {
  field: RunSortField;
  descending: boolean;
}

export function parseSortBy(sortBy: string | undefined): RunSort {
  if (sortBy === undefined) return { field: 'created_at', descending: true };
  const match = SORT_BY_PATTERN.exec(sortBy.trim());
  if (!match)
    throw new ApiError(
      400,
      'INVALID_ARGUMENT',
      `sortBy must be one of ${RUN_SORT_FIELDS.join(', ')}, optionally followed by asc or desc`,
      'sortBy',
    );
  return { field: match[1] as RunSortField, descending: match[2] !== 'asc' };
}

export function encodeRunPageToken(sort: RunSort, last: RunSummary): string {
  return encodePageToken([sort.field, sort.descending ? 'desc' : 'asc', last.sortKey, last.id]);
}

/**
 * The cursor a token stands for. Tokens carry their sort: a token used with another sortBy is refused
 * (its position means nothing in that order). Two-element tokens from before sorting mean created_at desc.
 */
export function decodeRunPageToken(token: string, sort: RunSort): { sortKey: string; id: string } {
  const parts = decodePageToken(token);
  const [field, direction, sortKey, id] =
    parts.length === 2 ? ['created_at', 'desc', parts[0], parts[1]] : parts.length === 4 ? parts : [];
  if (sortKey === undefined || id === undefined || id.length > 200) throw invalidPageToken();
  if (field !== sort.field || direction !== (sort.descending ? 'desc' : 'asc'))
    throw new ApiError(
      400,
      'INVALID_ARGUMENT',
      `pageToken belongs to a list sorted by '${field} ${direction}'; ask with the same sortBy`,
      'pageToken',
    );
  return { sortKey, id };
}

/** The storage filter: AVAILABLE unless asked otherwise; ALL lists both. */
export function storageFilter(
  storageState: 'AVAILABLE' | 'ARCHIVED' | 'ALL' | undefined,
): Pick<RunListQuery, 'storageState'> {
  const state = storageState ?? 'AVAILABLE';
  return state === 'ALL' ? {} : { storageState: state };
}

export async function listRunsPage(
  store: RunStore,
  query: z.infer<typeof ListRunsQuerySchema>,
): Promise<{ runs: RunListItem[]; nextPageToken?: string }> {
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  const sort = parseSortBy(query.sortBy);
  const after = query.pageToken === undefined ? undefined : decodeRunPageToken(query.pageToken, sort);
  const runs = await store.listRunSummaries({
    ...(query.state ? { state: query.state } : {}),
    ...(query.pipeline ? { pipelineName: query.pipeline } : {}),
    ...(query.experimentId ? { experimentId: query.experimentId } : {}),
    ...storageFilter(query.storageState),
    sortBy: sort.field,
    descending: sort.descending,
    ...(after ? { after } : {}),
    limit: pageSize + 1,
  });
  // Only an empty page can mean an unknown experiment: no lookup on the common path.
  if (
    runs.length === 0 &&
    query.experimentId !== undefined &&
    (await store.getExperiment(query.experimentId)) === undefined
  )
    throw new ApiError(
      404,
      'EXPERIMENT_NOT_FOUND',
      `no experiment '${query.experimentId}' in this store`,
      'experimentId',
    );
  const page = runs.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    runs: page.map(runListItem),
    ...(runs.length > pageSize && last ? { nextPageToken: encodeRunPageToken(sort, last) } : {}),
  };
}

/** A run's summary, or 404 naming `field`. */
export async function requireRunSummary(
  store: RunStore,
  runId: string,
  withMetrics = true,
): Promise<RunSummary> {
  const [summary] = await store.listRunSummaries({ runIds: [runId], limit: 1, withMetrics });
  if (!summary) throw new ApiError(404, 'RUN_NOT_FOUND', `no run '${runId}' in this store`, 'runId');
  return summary;
}

export function runListItem(run: RunSummary): RunListItem {
  const finished = run.finishedAt === null ? Number.NaN : Date.parse(run.finishedAt);
  const created = Date.parse(run.createdAt);
  return {
    runId: run.id,
    pipeline: run.pipelineName,
    displayName: run.displayName,
    state: run.state as RunListItem['state'],
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    parameters: run.parameters,
    ...(run.error ? { error: run.error.message } : {}),
    durationMs:
      Number.isFinite(finished) && Number.isFinite(created) ? Math.max(0, finished - created) : null,
    experimentId: run.experimentId,
    storageState: run.storageState,
    pipelineVersionId: run.pipelineVersionId,
    pipelineVersion: run.pipelineVersionName,
    scalarMetrics: run.metrics,
  };
}

/** `scalarMetrics` from a run report's metrics artifacts: their numbers, keyed `<task path>/<name>`. */
export function scalarMetricsOf(
  metrics: ReadonlyArray<{ task: string; metadata: { [key: string]: unknown } }>,
): { [key: string]: number } {
  const flat: { [key: string]: number } = {};
  for (const artifact of metrics)
    for (const [name, value] of Object.entries(artifact.metadata))
      if (typeof value === 'number' && Number.isFinite(value)) flat[`${artifact.task}/${name}`] = value;
  return flat;
}

/**
 * GET /runs/{runId}: the run record's fields plus the engine's run report (the object `sluice show --json`
 * prints, with the run's fields named as in the list).
 */
export async function runView(store: RunStore, runId: string): Promise<RunView> {
  const detail = await store.getRunDetail(runId);
  if (!detail) throw new ApiError(404, 'RUN_NOT_FOUND', `no run '${runId}' in this store`, 'runId');
  const report = await reportOfDetail(detail);
  return {
    ...runListItem(detail.summary),
    scalarMetrics: scalarMetricsOf(report.metrics),
    state: report.state as RunView['state'],
    // The resolved parameters (defaults filled in), as the run used them.
    parameters: report.parameters,
    tasks: report.tasks,
    outputs: report.outputs,
    metrics: report.metrics,
    models: report.models,
    failures: report.failures,
  };
}
