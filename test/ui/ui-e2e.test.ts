/**
 * The web UI in a real headless Chromium against a real server: the Iris example runs while its page is
 * open and its nodes turn green; a task's log and metrics open in the side panel; a second run is created
 * from the form generated from the pipeline's inputs; the two runs are compared; a model's lineage leads
 * back to the imported CSV. Screenshots land in test-results/ui/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iris from '../../examples/iris/pipeline.ts';
import { compilePipeline } from '../../src/compiler/index.ts';
import { type Client, openClient } from '../server/helpers.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';

const RUN_TIMEOUT = 180_000;

let client: Client;
let browser: Browser;
let page: Page;
let problems: string[];
let versionId: string;
let firstRun: string;
let secondRun: string;

/** States of every task node on the run page right now. */
async function nodeStates(): Promise<Record<string, string>> {
  return page.$$eval('[data-testid=dag-node]', (nodes) =>
    Object.fromEntries(
      nodes.map((node) => [node.getAttribute('data-node-id'), node.getAttribute('data-state')]),
    ),
  );
}

async function waitForRunState(states: string[]): Promise<string> {
  const handle = await page.waitForFunction(
    (wanted) => {
      const text = document.querySelector('[data-testid=run-state]')?.textContent ?? '';
      return wanted.includes(text) ? text : false;
    },
    states,
    { timeout: RUN_TIMEOUT, polling: 250 },
  );
  return (await handle.jsonValue()) as string;
}

beforeAll(async () => {
  client = await openClient();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
  const uploaded = await client.post<{ version: { pipelineVersionId: string } }>(
    '/apis/v2beta1/pipelines',
    await compilePipeline(iris),
  );
  expect(uploaded.status).toBe(200);
  versionId = uploaded.body.version.pipelineVersionId;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await client?.server.close();
});

describe('the web UI in Chromium', () => {
  it('shows a live run whose nodes turn green', { timeout: RUN_TIMEOUT + 30_000 }, async () => {
    const created = await client.post<{ runId: string }>('/apis/v2beta1/runs', {
      pipelineVersionId: versionId,
      displayName: 'iris from the API',
    });
    expect(created.status).toBe(200);
    firstRun = created.body.runId;
    await page.goto(`${client.server.url}/#/runs/${firstRun}`);
    await page.waitForSelector('[data-testid=dag][data-ready=true] [data-testid=dag-node]');
    const early = await nodeStates();
    await screenshot(page, '01-run-live');
    // The run takes seconds (each step is a Node process): the page opened before it was over.
    expect(Object.values(early).some((state) => state !== 'SUCCEEDED')).toBe(true);
    expect(Object.keys(early)).toEqual(expect.arrayContaining(['exit-handler-1/ingest', 'report']));

    expect(await waitForRunState(['SUCCEEDED', 'FAILED', 'CANCELED'])).toBe('SUCCEEDED');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid=dag-node]')].every(
          (node) => node.getAttribute('data-state') === 'SUCCEEDED',
        ),
      undefined,
      { timeout: 10_000 },
    );
    const done = await nodeStates();
    expect(Object.keys(done).sort()).toEqual(Object.keys(early).sort());
    await screenshot(page, '02-run-succeeded');
  });

  it("opens a task's log and metrics in the side panel", { timeout: 60_000 }, async () => {
    await page.click('[data-testid=dag-node][data-node-id="exit-handler-1/evaluate"]');
    await page.waitForSelector('[data-testid=task-panel]');
    expect(page.url()).toContain(`task=${encodeURIComponent('exit-handler-1/evaluate')}`);
    await page.click('[data-testid=tab-logs]');
    await page.waitForFunction(
      () => /accuracy \d/.test(document.querySelector('[data-testid=task-log]')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await screenshot(page, '03-task-log');
    await page.click('[data-testid=tab-artifacts]');
    const metrics = await page.waitForSelector('[data-testid=metrics-table]');
    expect(await metrics.textContent()).toMatch(/accuracy\s*0\.9\d+/);
    const matrix = await page.waitForSelector('[data-testid=confusion-matrix]');
    expect(await matrix.textContent()).toContain('versicolor');
    await screenshot(page, '04-task-metrics');
  });

  it('creates a second run from the form built from the pipeline inputs', {
    timeout: RUN_TIMEOUT + 30_000,
  }, async () => {
    await page.goto(`${client.server.url}/#/new?version=${versionId}`);
    const trees = await page.waitForSelector('#param-trees');
    expect(await trees.inputValue()).toBe('25');
    await page.fill('#param-trees', '5');
    await page.fill('#run-display-name', 'five trees');
    await screenshot(page, '05-new-run-form');
    await page.click('[data-testid=run-form] button[type=submit]');
    await page.waitForFunction(() => /#\/runs\/[0-9a-f-]{36}/.test(window.location.hash), undefined, {
      timeout: 10_000,
    });
    secondRun = /#\/runs\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(secondRun).not.toBe(firstRun);
    expect(await waitForRunState(['SUCCEEDED', 'FAILED', 'CANCELED'])).toBe('SUCCEEDED');
    const run = await client.json<{ parameters: Record<string, unknown>; displayName: string }>(
      `/apis/v2beta1/runs/${secondRun}`,
    );
    expect(run.body).toMatchObject({ displayName: 'five trees', parameters: { trees: 5 } });
  });

  it('compares the two runs: what differs, metrics, and which tasks the cache answered', {
    timeout: 60_000,
  }, async () => {
    await page.goto(`${client.server.url}/#/runs`);
    await page.waitForSelector(`[data-testid=run-row][data-run-id="${secondRun}"]`);
    await page.check(`input[aria-label="compare ${firstRun}"]`);
    await page.check(`input[aria-label="compare ${secondRun}"]`);
    await screenshot(page, '06-runs-list');
    await page.click('[data-testid=compare-button]');
    const diff = await page.waitForSelector('[data-testid=param-diff]');
    const diffText = (await diff.textContent()) ?? '';
    expect(diffText).toContain('trees');
    expect(diffText).not.toContain('learningRate');
    await page.waitForSelector('[data-testid=metric-table] td');
    const tasks = await page.waitForSelector('[data-testid=task-compare]');
    await page.waitForSelector('[data-testid=miss-reason]');
    const taskText = (await tasks.textContent()) ?? '';
    // The forest saw a new tree count and ran again; the split did not change and came from the cache.
    expect(taskText).toContain('train-forest');
    expect(taskText).toContain('CACHED');
    await screenshot(page, '07-compare');
  });

  it("traces a registered model's lineage back to the CSV", { timeout: 60_000 }, async () => {
    const run = await client.json<{ models: { uri: string; final: boolean }[] }>(
      `/apis/v2beta1/runs/${firstRun}`,
    );
    const model = run.body.models.find((candidate) => candidate.final) ?? run.body.models[0]!;
    await page.goto(`${client.server.url}/#/lineage?uri=${encodeURIComponent(model.uri)}`);
    const upstream = await page.waitForSelector('[data-testid=lineage-upstream] [data-testid=lineage-task]');
    expect(upstream).toBeTruthy();
    const text = (await page.textContent('[data-testid=lineage-upstream]')) ?? '';
    expect(text).toContain('ingest');
    expect(text).toContain('train-');
    await screenshot(page, '08-lineage');
    expect(problems).toEqual([]);
  });
});
