/**
 * What an attempt runs: the resolved argv, and the directories KFP's launcher creates before it starts
 * the program (parents of output parameter files, of the ExecutorOutput file and of output artifact paths).
 * A TypeScript function component (command `sluice execute-function`) runs as this Node binary with this
 * repository's bin/sluice.js, so it needs no `sluice` on PATH and no shell.
 */
import { existsSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SluiceError } from '../../errors.ts';
import { parseFunctionComponent } from '../../ir/index.ts';
import {
  builtinKfpArgv,
  localPathOf,
  parseKfpPythonCommand,
  resolveCommandLine,
} from '../../runtime/index.ts';
import type { ExecutionRequest } from '../executor.ts';
import { pythonCommand } from './process-launcher.ts';

export const SLUICE_BIN = fileURLToPath(new URL('../../../bin/sluice.js', import.meta.url));

/**
 * How KFP lightweight Python components run: `builtin` runs the embedded source through Sluice's
 * standard-library stand-in for kfp (no pip, no network; packages_to_install must already be installed);
 * `pip` runs the component's own command (pip install kfp and its packages, then KFP's executor).
 */
export type KfpRuntime = 'builtin' | 'pip';

export function attemptArgv(request: ExecutionRequest, kfpRuntime: KfpRuntime = 'builtin'): string[] {
  const context = { executorInput: request.executorInput, runValues: request.runValues };
  if (parseFunctionComponent(request.container)) {
    const args = resolveCommandLine({ args: request.container.args ?? [] }, context);
    return [process.execPath, SLUICE_BIN, 'execute-function', ...args, '--project-root', request.projectRoot];
  }
  const argv = resolveCommandLine(request.container, context);
  if (argv.length === 0) {
    throw new SluiceError(
      'COMMAND_MISSING',
      `task ${request.taskPath} has no command: the local executor runs the container's command on this machine and cannot use the image's entrypoint; add a command to the component`,
    );
  }
  if (kfpRuntime === 'builtin') {
    const kfpPython = parseKfpPythonCommand(argv);
    if (kfpPython) return builtinKfpArgv(pythonCommand(), kfpPython);
  }
  return withPosixShell(argv);
}

const BASH = ['/bin/bash', '/usr/bin/bash'].find((path) => existsSync(path));

/**
 * `sh -c SCRIPT` written for a container image usually runs under busybox ash or bash there, which accept
 * `[[ … ]]`; this machine's /bin/sh may be dash, which does not. Such scripts run under bash instead (in
 * POSIX mode, as bash does when called sh); every other command runs exactly as written, argv untouched.
 */
export function withPosixShell(argv: string[]): string[] {
  const [program, ...rest] = argv;
  if (!BASH || (program !== 'sh' && program !== '/bin/sh')) return argv;
  const scriptIndex = rest.findIndex((arg) => !arg.startsWith('-'));
  const flags = rest.slice(0, scriptIndex);
  const script = rest[scriptIndex];
  if (script === undefined || !flags.some((flag) => flag.includes('c')) || !script.includes('[['))
    return argv;
  return [BASH, '--posix', ...rest];
}

/** Parent directories the program may write into without creating them. */
export function outputDirectories(request: ExecutionRequest): string[] {
  const { outputs } = request.executorInput;
  const directories = new Set<string>();
  for (const { outputFile } of Object.values(outputs.parameters)) directories.add(dirname(outputFile));
  if (outputs.outputFile) directories.add(dirname(outputs.outputFile));
  for (const { artifacts } of Object.values(outputs.artifacts)) {
    for (const artifact of artifacts) {
      const path = localPathOf(artifact);
      if (path !== undefined) directories.add(dirname(path));
    }
  }
  return [...directories];
}

/** The directories not inside another of the list: creating those (recursively) creates all. */
export function deepestDirectories(directories: string[]): string[] {
  const unique = [...new Set(directories)];
  return unique.filter((directory) => !unique.some((other) => other.startsWith(`${directory}${sep}`)));
}
