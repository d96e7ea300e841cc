/** `sluice ui` as a user starts it: the server with the web UI, its address printed, no browser needed. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './sluice-cli.ts';

it('sluice ui --no-open serves the web UI and prints where', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'sluice-ui-'));
  const child = spawn(process.execPath, [join(repoRoot, 'bin/sluice.js'), 'ui', '--port', '0', '--no-open'], {
    env: { ...process.env, SLUICE_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const printed = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/UI: http:\/\/127\.0\.0\.1:\d+\//.test(out)) resolve(out);
      });
      child.on('close', (code) => reject(new Error(`exited with ${code} before listening: ${out}`)));
    });
    const url = /UI: (http:\/\/127\.0\.0\.1:\d+)\//.exec(printed)![1]!;
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  } finally {
    child.kill('SIGINT');
  }
  expect(await closed).toBe(0);
});
