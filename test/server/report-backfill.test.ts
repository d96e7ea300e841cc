import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { openClient, specOf, tempHome, textPipeline, waitForState } from './helpers.ts';

interface SavedReportRow {
  run_id: string;
  transition_id: number;
  newest: number;
}

function savedReports(home: string): SavedReportRow[] {
  const db = new Database(join(home, 'sluice.db'));
  try {
    return db
      .prepare(
        `select runs.id as run_id, run_reports.transition_id,
           (select max(id) from transitions where run_id = runs.id) as newest
         from runs left join run_reports on run_reports.run_id = runs.id order by runs.id`,
      )
      .all() as SavedReportRow[];
  } finally {
    db.close();
  }
}

it('saves at start the reports of finished runs that have none current, and get-run answers the same', async () => {
  const home = tempHome();
  let client = await openClient({ home });
  const runIds: string[] = [];
  const before = new Map<string, unknown>();
  try {
    for (let i = 0; i < 3; i++) {
      const created = await client.post<{ runId: string }>('/apis/v2beta1/runs', {
        pipelineSpec: await specOf(textPipeline),
        parameters: { text: `run ${i}` },
      });
      expect(created.status).toBe(200);
      runIds.push(created.body.runId);
    }
    for (const runId of runIds)
      expect((await waitForState(client, runId, ['SUCCEEDED', 'FAILED'])).state).toBe('SUCCEEDED');
    for (const runId of runIds) before.set(runId, (await client.json(`/apis/v2beta1/runs/${runId}`)).body);
  } finally {
    await client.server.close();
  }
  // Each run saved its report as it ended.
  expect(savedReports(home).map((row) => row.transition_id === row.newest)).toEqual([true, true, true]);

  // As a store written before schema 4 (no reports), or by an engine stopped before saving one: one run
  // has none, one has a stale one.
  const sorted = [...runIds].sort();
  const db = new Database(join(home, 'sluice.db'));
  db.prepare('delete from run_reports where run_id = ?').run(sorted[0]);
  db.prepare('update run_reports set transition_id = transition_id - 1 where run_id = ?').run(sorted[1]);
  db.close();

  client = await openClient({ home });
  try {
    expect(await client.server.reportsBackfilled).toBe(2);
    expect(savedReports(home).map((row) => row.transition_id === row.newest)).toEqual([true, true, true]);
    for (const runId of runIds)
      expect((await client.json(`/apis/v2beta1/runs/${runId}`)).body).toEqual(before.get(runId));
  } finally {
    await client.server.close();
  }

  client = await openClient({ home });
  try {
    expect(await client.server.reportsBackfilled).toBe(0);
  } finally {
    await client.server.close();
  }
});
