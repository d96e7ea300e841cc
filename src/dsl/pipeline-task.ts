/**
 * A component call inside a pipeline body. Holds the arguments, the chained settings (retry, caching,
 * resources, env, timeout, display name, ordering) and the output channels other tasks consume.
 */
import type { RetryPolicy } from '../ir/index.ts';
import { checkTaskArguments } from './argument-check.ts';
import {
  ArtifactChannel,
  channelsInString,
  channelsInValue,
  ParameterChannel,
  type PipelineChannel,
} from './channels.ts';
import { type ComponentDefinition, sanitizeName } from './component-definition.ts';
import { parseDuration, toProtoDuration } from './durations.ts';
import type { TasksGroup } from './groups.ts';
import { DslError, PipelineContext } from './pipeline-context.ts';
import { checkCpu, checkMemory, type TaskResources } from './resources.ts';
import type { IoSpecs, OutputChannels, SingleOutput } from './typing.ts';

/** Anything `.after()` accepts. */
export type Upstream = PipelineTask | { readonly task: PipelineTask };

export class PipelineTask<O extends IoSpecs = IoSpecs> {
  readonly name: string;
  readonly component: ComponentDefinition;
  /** Arguments as given (constants, channels, strings with embedded channels), by input name. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Every channel the arguments read, in order of first use. */
  readonly channelInputs: PipelineChannel[];
  /** Names of tasks this one runs after (`.after()`), besides its data dependencies. */
  readonly dependentTasks: string[] = [];
  parentGroup: TasksGroup;
  readonly outputs: OutputChannels<O>;

  displayName: string | undefined;
  enableCaching = true;
  cacheKey: string | undefined;
  retryPolicy: RetryPolicy | undefined;
  readonly env: Record<string, string> = {};
  readonly resources: TaskResources = {};
  timeoutSeconds: number | undefined;
  /** Set when the task is an ExitHandler's exit task. */
  isExitTask = false;
  ignoreUpstreamFailureTag = false;

  constructor(component: ComponentDefinition, args: Readonly<Record<string, unknown>>) {
    const context = PipelineContext.current(`component '${component.name}'`);
    this.component = component;
    const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
    this.name = context.addTask(this, sanitizeName(component.name));
    this.parentGroup = context.currentGroup;
    checkTaskArguments(context.name, this.name, component, given);
    this.inputs = given;
    this.channelInputs = [];
    for (const value of Object.values(given)) {
      for (const channel of channelsInValue(value)) {
        if (!this.channelInputs.includes(channel)) this.channelInputs.push(channel);
      }
    }
    this.outputs = makeOutputChannels(component.outputs, this.name) as OutputChannels<O>;
  }

  /** The only output, for components that have exactly one (KFP's `.output`). */
  get output(): SingleOutput<O> {
    const names = Object.keys(this.outputs);
    if (names.length !== 1) {
      throw new DslError(
        `task '${this.name}' has ${names.length} outputs (${names.join(', ') || 'none'}); use .outputs.<name> instead of .output`,
      );
    }
    return (this.outputs as Record<string, PipelineChannel>)[names[0]!] as SingleOutput<O>;
  }

  /** Runs this task only after the given tasks finish, without passing data. */
  after(...upstream: Upstream[]): this {
    for (const item of upstream) {
      const task = item instanceof PipelineTask ? item : item.task;
      if (task === this) throw new DslError(`task '${this.name}' cannot run after itself`);
      if (!this.dependentTasks.includes(task.name)) this.dependentTasks.push(task.name);
    }
    return this;
  }

  /** The name shown in the UI and logs instead of the generated task name. */
  setDisplayName(name: string): this {
    this.displayName = name;
    return this;
  }

  /**
   * Turns the cache on or off for this task. A `cacheKey` replaces the automatic fingerprint: tasks of this
   * component with the same key share results whatever their inputs.
   * @default enabled, automatic key
   */
  setCachingOptions(enable: boolean, cacheKey?: string): this {
    this.enableCaching = enable;
    this.cacheKey = cacheKey;
    return this;
  }

  /**
   * Retries a failed attempt up to `maxRetries` times, waiting `backoffDuration × backoffFactor^n` (at most
   * `backoffMaxDuration`, itself at most one hour) between attempts. Durations are seconds or `'30s'`, `'5m'`, `'1h'`.
   * @default backoffDuration 0s, backoffFactor 2, backoffMaxDuration 3600s
   */
  setRetry(
    maxRetries: number,
    options: {
      backoffDuration?: number | string;
      backoffFactor?: number;
      backoffMaxDuration?: number | string;
    } = {},
  ): this {
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new DslError(
        `task '${this.name}': setRetry() needs a whole number of retries >= 0, got ${maxRetries}`,
      );
    }
    const factor = options.backoffFactor ?? 2;
    if (!(factor > 0)) throw new DslError(`task '${this.name}': backoffFactor must be > 0, got ${factor}`);
    const maxBackoff = Math.min(
      parseDuration(options.backoffMaxDuration ?? 3600, 'backoffMaxDuration'),
      3600,
    );
    this.retryPolicy = {
      backoffDuration: toProtoDuration(parseDuration(options.backoffDuration ?? 0, 'backoffDuration')),
      backoffFactor: factor,
      backoffMaxDuration: toProtoDuration(maxBackoff),
      maxRetryCount: maxRetries,
    };
    return this;
  }

  /** CPU request, e.g. `'500m'` or `'2'` (a channel or a string with channels is resolved at run time). */
  setCpuRequest(cpu: string | ParameterChannel<'STRING'>): this {
    this.resources.cpuRequest = checkCpu(this.track(String(cpu)), this.name);
    return this;
  }
  setCpuLimit(cpu: string | ParameterChannel<'STRING'>): this {
    this.resources.cpuLimit = checkCpu(this.track(String(cpu)), this.name);
    return this;
  }
  /** Memory request, e.g. `'512Mi'`, `'4G'`. */
  setMemoryRequest(memory: string | ParameterChannel<'STRING'>): this {
    this.resources.memoryRequest = checkMemory(this.track(String(memory)), this.name);
    return this;
  }
  setMemoryLimit(memory: string | ParameterChannel<'STRING'>): this {
    this.resources.memoryLimit = checkMemory(this.track(String(memory)), this.name);
    return this;
  }
  /** The accelerator kind, e.g. `'nvidia.com/gpu'`; pair with setAcceleratorLimit. */
  setAcceleratorType(type: string | ParameterChannel<'STRING'>): this {
    this.resources.acceleratorType = this.track(String(type));
    return this;
  }
  setAcceleratorLimit(count: number | string | ParameterChannel): this {
    const text = this.track(String(count));
    if (channelsInString(text).length === 0 && !/^\d+$/.test(text)) {
      throw new DslError(`task '${this.name}': accelerator limit must be a whole number, got '${text}'`);
    }
    this.resources.acceleratorCount = text;
    return this;
  }

  setEnvVariable(name: string, value: string): this {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new DslError(`task '${this.name}': '${name}' is not a valid environment variable name`);
    }
    this.env[name] = value;
    return this;
  }

  /**
   * Kills an attempt that runs longer than this (seconds, or `'90s'`, `'10m'`, `'2h'`). Recorded as the
   * executor's Kubernetes `activeDeadlineSeconds`, which is what KFP's `kubernetes.set_timeout` writes.
   */
  setTimeout(timeout: number | string): this {
    const seconds = parseDuration(timeout, 'timeout');
    if (seconds <= 0) throw new DslError(`task '${this.name}': timeout must be > 0`);
    this.timeoutSeconds = Math.ceil(seconds);
    return this;
  }

  /** Records the channels a run-time setting (resources) reads, so they become inputs and dependencies. */
  private track(value: string): string {
    for (const channel of channelsInString(value)) {
      if (!this.channelInputs.includes(channel)) this.channelInputs.push(channel);
    }
    return value;
  }

  /** Runs this task even when its upstream tasks fail (KFP's ALL_UPSTREAM_TASKS_COMPLETED). */
  ignoreUpstreamFailure(): this {
    this.ignoreUpstreamFailureTag = true;
    return this;
  }
}

function makeOutputChannels(outputs: IoSpecs, taskName: string): Record<string, PipelineChannel> {
  const channels: Record<string, PipelineChannel> = {};
  for (const [name, spec] of Object.entries(outputs)) {
    channels[name] =
      spec.kind === 'parameter'
        ? new ParameterChannel(name, spec.type, taskName, spec.itemType)
        : new ArtifactChannel(name, spec.schemaTitle, spec.schemaVersion, spec.isList, taskName);
  }
  return channels;
}
