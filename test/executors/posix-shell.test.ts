import { describe, expect, it } from 'vitest';
import { withPosixShell } from '../../src/executors/local/attempt-command.ts';

describe('running sh scripts written for container images', () => {
  it('runs a script using [[ ]] under bash, keeping every argument', () => {
    const argv = withPosixShell(['sh', '-ec', '[[ "$0" == x ]]', 'x', 'y z']);
    expect(argv[0]).toMatch(/bash$/);
    expect(argv.slice(1)).toEqual(['--posix', '-ec', '[[ "$0" == x ]]', 'x', 'y z']);
  });

  it('leaves every other command exactly as written', () => {
    expect(withPosixShell(['sh', '-c', 'echo "$0"', '[[not a script'])).toEqual([
      'sh',
      '-c',
      'echo "$0"',
      '[[not a script',
    ]);
    expect(withPosixShell(['sh', 'script.sh'])).toEqual(['sh', 'script.sh']);
    expect(withPosixShell(['python3', '-c', '[[1]]'])).toEqual(['python3', '-c', '[[1]]']);
  });
});
