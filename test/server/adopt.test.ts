import { expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import { openDefaultEngine } from '../../src/engine/index.ts';
import { openClient, tempHome, textPipeline, waitForState } from './helpers.ts';

it('adopts and finishes a run left unfinished (submitted, never driven) when it starts', async () => {
  const home = tempHome();
  const opened = await openDefaultEngine({ home });
  const runId = await opened.engine.submit(await compilePipeline(textPipeline), {
    parameters: { text: 'later' },
  });
  await opened.close();
  const client = await openClient({ home });
  try {
    expect(client.server.adopted).toEqual([runId]);
    expect((await waitForState(client, runId, ['SUCCEEDED', 'FAILED'])).state).toBe('SUCCEEDED');
  } finally {
    await client.server.close();
  }
});
