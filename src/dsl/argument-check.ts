/**
 * The run-time twin of the type-level wiring rules (typing.ts): JavaScript callers, `any`-typed values and
 * dynamically built pipelines get the same answer `tsc` would give, as an error naming pipeline, task and
 * input.
 */
import { didYouMean } from '../ir/index.ts';
import { ArtifactChannel, ParameterChannel, PipelineChannel } from './channels.ts';
import type { ComponentDefinition } from './component-definition.ts';
import { LoopArgumentVariable, LoopParameterArgument } from './loop-channels.ts';
import { DslError } from './pipeline-context.ts';
import type { AnyArtifactSpec, AnyParamSpec } from './typing.ts';

export function checkTaskArguments(
  pipelineName: string,
  taskName: string,
  component: ComponentDefinition,
  args: Readonly<Record<string, unknown>>,
): void {
  const where = `pipeline '${pipelineName}', task '${taskName}'`;
  const declared = Object.keys(component.inputs);
  for (const name of Object.keys(args)) {
    if (!(name in component.inputs)) {
      throw new DslError(
        `${where}: component '${component.name}' has no input '${name}'${didYouMean(name, declared)}`,
      );
    }
  }
  for (const [name, spec] of Object.entries(component.inputs)) {
    const value = args[name];
    const at = `${where}, input '${name}'`;
    if (spec.kind === 'parameter' && spec.type === 'TASK_FINAL_STATUS') {
      if (value !== undefined)
        throw new DslError(`${at}: a TASK_FINAL_STATUS input is filled by Sluice; do not pass it`);
      continue;
    }
    if (value === undefined) {
      if (!spec.isOptional) throw new DslError(`${at}: required input is missing`);
      continue;
    }
    if (spec.kind === 'parameter') checkParameter(at, spec, value);
    else checkArtifact(at, spec, value);
  }
}

function checkParameter(at: string, spec: AnyParamSpec, value: unknown): void {
  if (value instanceof ArtifactChannel) {
    throw new DslError(`${at}: expects a ${spec.type} parameter but got the artifact '${value.fullName}'`);
  }
  if (value instanceof ParameterChannel) {
    if (!parameterFits(value, spec.type)) {
      throw new DslError(`${at}: expects ${spec.type} but '${value.fullName}' is ${value.type}`);
    }
    return;
  }
  if (value instanceof PipelineChannel) return;
  const problem = constantProblem(spec.type, value);
  if (problem) throw new DslError(`${at}: ${problem}`);
}

/**
 * Exact type match, plus int → double. Loop items of untyped lists and dict-item fields are typed STRING by
 * KFP whatever they hold, so they are let through as KFP lets them through. A task's final status is a JSON
 * object at run time, so a pipeline used as an exit task may hand its TASK_FINAL_STATUS input on to a
 * STRUCT input (KFP's `get_run_state(status: dict)` in pipeline_as_exit_task).
 */
function parameterFits(channel: ParameterChannel, expected: string): boolean {
  if (channel instanceof LoopArgumentVariable) return true;
  if (channel instanceof LoopParameterArgument && !channel.isWithItems && channel.type === 'STRING')
    return true;
  if (channel.type === expected) return true;
  if (channel.type === 'TASK_FINAL_STATUS' && expected === 'STRUCT') return true;
  return channel.type === 'NUMBER_INTEGER' && expected === 'NUMBER_DOUBLE';
}

/** Why a constant does not fit a parameter type, or undefined when it does. Strings may embed channels. */
export function constantProblem(type: string, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? undefined : `expects a string, got ${shown}`;
    case 'NUMBER_INTEGER':
      return Number.isSafeInteger(value) ? undefined : `expects a whole number (safe integer), got ${shown}`;
    case 'NUMBER_DOUBLE':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `expects a number, got ${shown}`;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : `expects true or false, got ${shown}`;
    case 'LIST':
      return Array.isArray(value) ? undefined : `expects a list, got ${shown}`;
    case 'STRUCT':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : `expects an object, got ${shown}`;
    default:
      return undefined;
  }
}

function checkArtifact(at: string, spec: AnyArtifactSpec, value: unknown): void {
  if (!(value instanceof ArtifactChannel)) {
    const got =
      value instanceof ParameterChannel ? `the parameter '${value.fullName}'` : JSON.stringify(value);
    throw new DslError(
      `${at}: expects a ${spec.schemaTitle} artifact from a task output, importer or pipeline input; got ${got}`,
    );
  }
  const titlesFit =
    spec.schemaTitle === 'system.Artifact' ||
    value.schemaTitle === 'system.Artifact' ||
    value.schemaTitle === spec.schemaTitle;
  if (!titlesFit) {
    throw new DslError(`${at}: expects ${spec.schemaTitle} but '${value.fullName}' is ${value.schemaTitle}`);
  }
  if (value.isList !== spec.isList) {
    const expected = spec.isList ? 'a list of artifacts (use Collected())' : 'a single artifact';
    throw new DslError(
      `${at}: expects ${expected} but '${value.fullName}' is ${value.isList ? 'a list' : 'single'}`,
    );
  }
}
