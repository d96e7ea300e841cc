/**
 * The component side of KFP's runtime protocol: placeholders → argv, container env expansion, reading a
 * finished program's outputs, and the launcher that runs a TypeScript function component. Imports only
 * src/ir; executors use it to start programs, `sluice execute-function` to be one.
 *
 * @module
 * @example
 * import { collectOutputs, resolveCommandLine } from '../runtime/index.ts';
 *
 * const argv = resolveCommandLine(container, { executorInput, runValues: { pipeline_job_name: 'run-1' } });
 * // … run argv, wait for exit 0 …
 * const outputs = await collectOutputs(executorInput, { acc: 'NUMBER_DOUBLE' });
 */

export { expandContainerEnv, expandVariables } from './container-env.ts';
export type { ExecutorInput, ExecutorOutput, RuntimeArtifact } from './executor-input.ts';
export { type CollectedOutputs, collectOutputs, readExecutorOutput } from './executor-outputs.ts';
export { FunctionInputArtifact, FunctionOutputArtifact } from './function-artifacts.ts';
export { type FunctionLaunch, launchFunction } from './function-launcher.ts';
export {
  builtinKfpArgv,
  KFP_PYTHON_LAUNCHER,
  type KfpPythonCommand,
  parseKfpPythonCommand,
  pipInstallRequirements,
} from './kfp-python-command.ts';
export { checkParameterValue, formatParameterValue, parseParameterText } from './parameter-text.ts';
export {
  jsonEscape,
  localPathOf,
  type PlaceholderContext,
  type PlaceholderValue,
  placeholderValue,
} from './placeholder-values.ts';
export { isInputPresent, resolveArgument, resolveCommandLine } from './resolve-command-line.ts';
export {
  FunctionLoadError,
  InvalidArgumentError,
  OutputParameterError,
  UnresolvedPlaceholderError,
} from './runtime-errors.ts';
