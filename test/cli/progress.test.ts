/**
 * Live progress: one line per task change, loops collapsed to counts past a dozen tasks (failures always
 * shown), no colour unless on a TTY.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, progressPrinter } from '../../src/cli/progress.ts';
import type { TransitionEvent } from '../../src/engine/index.ts';

function capture(isTTY = false) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

let clock = 0;
function event(path: string, to: string, extra: Partial<TransitionEvent> = {}): TransitionEvent {
  clock += 10;
  return {
    runId: 'r1',
    taskId: `t-${path}`,
    path,
    kind: 'CONTAINER',
    from: null,
    to,
    reason: null,
    at: new Date(clock).toISOString(),
    attempt: 1,
    cached: to === 'CACHED',
    ...extra,
  };
}

describe('progressPrinter', () => {
  it('prints a line per task change with duration and attempt', () => {
    const out = capture();
    const print = progressPrinter(out.stream, () => clock);
    print(event('train', 'RUNNING'));
    print(event('train', 'RETRYING', { reason: 'exit 3' }));
    print(event('train', 'SUCCEEDED', { attempt: 2 }));
    print(event('score', 'CACHED', { reason: 'reused task score of run r0' }));
    expect(out.text()).toBe(
      [
        '  RUNNING   train',
        '  RETRYING  train 10ms — exit 3',
        '  SUCCEEDED train attempt 2 20ms',
        '  CACHED    score — reused task score of run r0',
        '',
      ].join('\n'),
    );
  });

  it('collapses a large loop to counts, still showing every failure', () => {
    const out = capture();
    let now = 0;
    const print = progressPrinter(out.stream, () => now);
    print(event('for-loop-1', 'RUNNING', { kind: 'LOOP' }));
    for (let i = 0; i < 500; i++) {
      now += 5;
      print(event(`for-loop-1[${i}]/op`, 'RUNNING'));
      print(event(`for-loop-1[${i}]/op`, i === 321 ? 'FAILED' : 'SUCCEEDED'));
    }
    print(event('for-loop-1', 'FAILED', { kind: 'LOOP', reason: '1 of 500 iterations failed' }));
    const lines = out.text().trim().split('\n');
    expect(lines.length).toBeLessThan(30);
    expect(lines).toContainEqual(expect.stringMatching(/FAILED {4}for-loop-1\[321\]\/op/));
    expect(lines.at(-2)).toBe('  LOOP      for-loop-1: 499 succeeded, 1 failed (500 tasks so far)');
    expect(lines.at(-1)).toMatch(/FAILED {4}for-loop-1 .* 1 of 500 iterations failed/);
  });

  it('colours states only on a TTY and never with NO_COLOR', () => {
    const plain = capture(false);
    progressPrinter(plain.stream)(event('a', 'FAILED'));
    expect(plain.text()).not.toContain('\x1b[');
    const tty = capture(true);
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      progressPrinter(tty.stream)(event('a', 'FAILED'));
      expect(tty.text()).toContain('\x1b[31m');
      process.env.NO_COLOR = '1';
      const off = capture(true);
      progressPrinter(off.stream)(event('a', 'FAILED'));
      expect(off.text()).not.toContain('\x1b[');
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  it('formats durations for people', () => {
    expect([formatDuration(12.4), formatDuration(1500), formatDuration(125_000)]).toEqual([
      '12ms',
      '1.5s',
      '2m5s',
    ]);
  });
});
