/**
 * Recurring runs in the web UI, in a real headless Chromium against a real server: a schedule is created
 * from the form, the list shows its next fire time in words, its page fills with the runs it started, and
 * the Pause button disables it. Screenshots land in test-results/ui/.
 */
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import { type Client, openClient, textPipeline } from '../server/helpers.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';

const NAME = 'every-two-seconds';

let client: Client;
let browser: Browser;
let page: Page;
let problems: string[];
let pipelineId: string;
let versionId: string;

interface RecurringRun {
  recurringRunId: string;
  name: string;
  status: string;
  pipelineVersionId: string | null;
  intervalSeconds?: number;
  parameters: Record<string, unknown>;
}

beforeAll(async () => {
  client = await openClient();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
  const uploaded = await client.post<{ version: { pipelineVersionId: string; pipelineId: string } }>(
    '/apis/v2beta1/pipelines',
    await compilePipeline(textPipeline),
  );
  expect(uploaded.status).toBe(200);
  versionId = uploaded.body.version.pipelineVersionId;
  pipelineId = uploaded.body.version.pipelineId;
}, 60_000);

afterAll(async () => {
  // Stop the schedule first so no run starts while the server closes.
  const list = await client?.json<{ recurringRuns: RecurringRun[] }>('/apis/v2beta1/recurringruns');
  for (const schedule of list?.body.recurringRuns ?? [])
    await client.request(`/apis/v2beta1/recurringruns/${schedule.recurringRunId}:disable`, {
      method: 'POST',
    });
  await browser?.close();
  await client?.server.close();
});

describe('schedules in the web UI', () => {
  let scheduleId: string;

  it('creates a schedule from the form and lists it with its next fire time', {
    timeout: 60_000,
  }, async () => {
    await page.goto(`${client.server.url}/#/schedules`);
    await page.waitForSelector('[data-testid=schedules-table]');
    await page.waitForSelector('[data-testid=triggers-table]');
    await page.click('[data-testid=new-schedule]');
    const form = await page.waitForSelector('[data-testid=schedule-form]');
    expect(await page.inputValue('#schedule-timeZone')).not.toBe('');
    await page.fill('#schedule-name', NAME);
    await page.waitForSelector(`#schedule-pipelineVersionId option[value="${pipelineId}"]`, {
      state: 'attached',
    });
    await page.selectOption('#schedule-pipelineVersionId', pipelineId);
    await page.waitForSelector(`#schedule-version option[value="${versionId}"]`, { state: 'attached' });
    await page.selectOption('#schedule-version', versionId);

    // A bad cron expression is refused by the server, and the error shows next to the cron field.
    await page.fill('#schedule-cron', 'not a cron');
    await page.click('[data-testid=schedule-form] button[type=submit]');
    const cronError = await page.waitForSelector('[data-field=cron] [data-testid=field-error]');
    expect(await cronError.textContent()).not.toBe('');
    // Chromium logs the refused request; that 400 was this test's doing, and the only problem so far.
    expect(problems.splice(0)).toEqual([expect.stringContaining('400')]);

    await page.check('[data-testid=kind-interval]');
    await page.fill('#schedule-intervalSeconds', '2');
    await page.fill('#schedule-parameters', '{"text": "from a schedule"}');
    expect(await form.isVisible()).toBe(true);
    await page.click('[data-testid=schedule-form] button[type=submit]');

    const row = await page.waitForSelector(`[data-testid=schedule-row][data-schedule-name="${NAME}"]`);
    const next = await row.waitForSelector('[data-testid=next-fire] li');
    expect(await next.textContent()).toMatch(/\w/);
    expect(await row.textContent()).toContain('every 2 s');
    await screenshot(page, '10-schedules');

    const list = await client.json<{ recurringRuns: RecurringRun[] }>('/apis/v2beta1/recurringruns');
    const created = list.body.recurringRuns.find((schedule) => schedule.name === NAME);
    expect(created).toMatchObject({
      status: 'ENABLED',
      pipelineVersionId: versionId,
      intervalSeconds: 2,
      parameters: { text: 'from a schedule' },
    });
    scheduleId = created!.recurringRunId;
  });

  it('shows the runs the schedule started on its page, pauses it and edits it in place', {
    timeout: 90_000,
  }, async () => {
    await page.click(`[data-testid=schedule-row][data-schedule-name="${NAME}"] a`);
    await page.waitForFunction((id) => window.location.hash === `#/schedules/${id}`, scheduleId);
    const fireTimes = await page.waitForSelector('[data-testid=next-fire]');
    expect(await fireTimes.$$('li')).toHaveLength(5);
    // The page refreshes its history on its own; the first slot comes due within seconds.
    await page.waitForSelector(
      '[data-testid=schedule-history] [data-testid=history-row] a[href^="#/runs/"]',
      {
        timeout: 30_000,
      },
    );
    await screenshot(page, '11-schedule-details');

    await page.click('[data-testid=pause-button]');
    await page.waitForSelector('[data-testid=resume-button]');
    const paused = await client.json<RecurringRun>(`/apis/v2beta1/recurringruns/${scheduleId}`);
    expect(paused.body.status).toBe('DISABLED');

    // Edited in place: the form opens with the schedule's settings, and a save leaves it paused.
    await page.click('[data-testid=edit-button]');
    expect(await page.inputValue('#schedule-intervalSeconds')).toBe('2');
    // The version list loads after the form opens; the form then shows the schedule's pinned version.
    await page.waitForFunction(
      (id) => (document.querySelector('#schedule-version') as HTMLSelectElement | null)?.value === id,
      versionId,
      { timeout: 10_000 },
    );
    await page.fill('#schedule-maxConcurrency', '3');
    await page.click('[data-testid=schedule-form] button[type=submit]');
    await page.waitForSelector('[data-testid=schedule-settings]');
    const edited = await client.json<RecurringRun & { maxConcurrency: number }>(
      `/apis/v2beta1/recurringruns/${scheduleId}`,
    );
    expect(edited.body).toMatchObject({ maxConcurrency: 3, status: 'DISABLED', intervalSeconds: 2 });

    const history = await client.json<{ slots: { runId: string }[] }>(
      `/apis/v2beta1/recurringruns/${scheduleId}/runs`,
    );
    expect(history.body.slots.length).toBeGreaterThanOrEqual(1);
    expect(problems).toEqual([]);
  });

  it('lists a trigger with its status and pauses and resumes it', { timeout: 60_000 }, async () => {
    const created = await client.post<{ trigger: { triggerId: string } }>('/apis/v2beta1/triggers', {
      name: 'on-upload',
      kind: 'webhook',
      pipelineVersionId: versionId,
    });
    expect(created.status).toBe(200);
    const { triggerId } = created.body.trigger;
    await page.goto(`${client.server.url}/#/schedules`);
    const row = '[data-testid=trigger-row][data-trigger-name="on-upload"]';
    await page.waitForSelector(`${row} [data-testid=trigger-pause-button]`);
    await page.click(`${row} [data-testid=trigger-pause-button]`);
    await page.waitForSelector(`${row} [data-testid=trigger-resume-button]`);
    expect(await page.textContent(row)).toContain('paused');
    const paused = await client.json<{ enabled: boolean }>(`/apis/v2beta1/triggers/${triggerId}`);
    expect(paused.body.enabled).toBe(false);
    await screenshot(page, '12-triggers');
    await page.click(`${row} [data-testid=trigger-resume-button]`);
    await page.waitForSelector(`${row} [data-testid=trigger-pause-button]`);
    const resumed = await client.json<{ enabled: boolean }>(`/apis/v2beta1/triggers/${triggerId}`);
    expect(resumed.body.enabled).toBe(true);
    expect(problems).toEqual([]);
  });

  it('creates triggers from the form: a webhook shows its secret once, a watch names its bad field', {
    timeout: 60_000,
  }, async () => {
    await page.goto(`${client.server.url}/#/schedules`);
    await page.click('[data-testid=new-trigger]');
    await page.waitForSelector('[data-testid=trigger-form]');
    await page.fill('#trigger-name', 'from-the-form');
    await page.waitForSelector(`#trigger-pipelineVersionId option[value="${pipelineId}"]`, {
      state: 'attached',
    });
    await page.selectOption('#trigger-pipelineVersionId', pipelineId);
    // A watch trigger needs a directory and a parameter: said next to the fields, nothing sent.
    await page.click('[data-testid=trigger-form] button[type=submit]');
    await page.waitForSelector('[data-field=directory] [data-testid=field-error]');
    await page.fill('#trigger-directory', tmpdir());
    await page.fill('#trigger-parameterName', 'no-such-input');
    await page.click('[data-testid=trigger-form] button[type=submit]');
    const refused = await page.waitForSelector('[data-field=parameterName] [data-testid=field-error]');
    expect(await refused.textContent()).toContain('no-such-input');
    expect(problems.splice(0)).toEqual([expect.stringContaining('400')]);

    await page.check('[data-testid=trigger-kind-webhook]');
    await page.click('[data-testid=trigger-form] button[type=submit]');
    const secret = (await (await page.waitForSelector('[data-testid=trigger-secret]')).textContent())!.trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.waitForSelector('[data-testid=trigger-row][data-trigger-name="from-the-form"]');
    await screenshot(page, '13-trigger-created');
    await page.click('[data-testid=trigger-created] button');
    expect(await page.$('[data-testid=trigger-secret]')).toBeNull();

    const trigger = await client.json<{ fireUrl: string; pipelineVersionId: string | null }>(
      '/apis/v2beta1/triggers/from-the-form',
    );
    // "latest" was left chosen: the trigger follows the pipeline's newest version.
    expect(trigger.body.pipelineVersionId).toBeNull();
    const fired = await client.json<{ runId: string; duplicate: boolean }>(trigger.body.fireUrl, {
      method: 'POST',
      headers: { 'X-Sluice-Trigger-Secret': secret, 'Idempotency-Key': 'ui-test' },
    });
    expect([fired.status, fired.body.duplicate]).toEqual([200, false]);
    expect(problems).toEqual([]);
  });
});
