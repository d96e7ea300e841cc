/**
 * `sluice execute-function --executor-input <json> --module <path> --export <name>`: what a task of a
 * TypeScript function component runs (the IR's command, see src/ir/function-component.ts). Not meant to be
 * typed by hand. Exit 0 when the function returned and its outputs are written; 1 when it threw (the stack
 * goes to stderr, which is the task's log); 2 when the executor input is unusable.
 */
import { isSluiceError } from '../errors.ts';
import { type ExecutorInput, launchFunction } from '../runtime/index.ts';
import { EXIT_BAD_INPUT, EXIT_FAILED } from './main.ts';

export interface ExecuteFunctionOptions {
  executorInput: string;
  module: string;
  export: string;
  codeDigest?: string;
  projectRoot?: string;
}

export async function executeFunctionCommand(options: ExecuteFunctionOptions): Promise<number> {
  let executorInput: ExecutorInput;
  try {
    executorInput = JSON.parse(options.executorInput) as ExecutorInput;
  } catch (error) {
    process.stderr.write(`error: --executor-input is not JSON: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  const code = await run(executorInput, options);
  // A function that leaves a timer or socket open must not keep the task running: leave once the event
  // loop would otherwise stay alive (unref'd, so a clean exit is not delayed).
  setTimeout(() => process.exit(code), 0).unref();
  return code;
}

async function run(executorInput: ExecutorInput, options: ExecuteFunctionOptions): Promise<number> {
  try {
    await launchFunction({
      executorInput,
      projectRoot: options.projectRoot ?? process.cwd(),
      module: options.module,
      exportName: options.export,
      codeDigest: options.codeDigest,
      onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    });
    return 0;
  } catch (error) {
    if (isSluiceError(error)) process.stderr.write(`error: ${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILED;
  }
}
