/**
 * The type tests (dsl-wiring.test-d.ts) prove that wiring mistakes fail `tsc`; this test proves they fail
 * for the right reason, by running the real compiler over a fixture and matching each message.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixture = join(repoRoot, 'test/fixtures/types/wiring-errors.ts');

function typeErrors(): Map<number, string[]> {
  const config = join(repoRoot, 'test/fixtures/types/tsconfig.json');
  let output = '';
  try {
    execFileSync(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', config, '--pretty', 'false'], {
      encoding: 'utf8',
    });
  } catch (error) {
    output = (error as { stdout: string }).stdout;
  }
  const errors = new Map<number, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const match = /wiring-errors\.ts\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
    if (match) {
      current = errors.get(Number(match[1])) ?? [];
      errors.set(Number(match[1]), current);
      current.push(match[2]!);
    } else if (current && line.startsWith(' ')) {
      current[current.length - 1] += `\n${line.trim()}`;
    }
  }
  return errors;
}

describe('wiring mistakes fail tsc with a message that names the mistake', () => {
  const errors = typeErrors();
  const lines = readFileSync(fixture, 'utf8').split('\n');
  const expectations = lines.flatMap((line, index) => {
    const match = /^\s*\/\/ expect-error: (.*)$/.exec(line);
    return match ? [{ line: index + 2, text: match[1]!, code: lines[index + 1]!.trim() }] : [];
  });

  it('has expectations to check', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(5);
  });

  for (const expectation of expectations) {
    it(`line ${expectation.line}: ${expectation.code}`, () => {
      const messages = errors.get(expectation.line) ?? [];
      expect(messages.join('\n')).toContain(expectation.text);
    });
  }

  it('reports no error on lines that expect none', () => {
    const expected = new Set(expectations.map((expectation) => expectation.line));
    const unexpected = [...errors.keys()].filter((line) => !expected.has(line));
    expect(unexpected.map((line) => `${line}: ${errors.get(line)!.join(' | ')}`)).toEqual([]);
  });
});
