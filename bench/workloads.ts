/**
 * The benchmark DAGs as KFP IR, built directly (not through the DSL, so the bench does not depend on the
 * compiler). Every trivial step is a container whose own command is an `sh -c` that copies its input
 * artifact to its output and appends its task name with the `echo` builtin: no extra process, and every
 * step's output differs, so no two steps share a cache key. Seeds echo their name; the fan-in step
 * concatenates its inputs.
 */
import type {
  ComponentSpec,
  ExecutorSpec,
  PipelineDocument,
  PipelineTaskSpec,
  TaskInputsSpec,
} from '../src/ir/index.ts';
import { formatIssues, IR_SCHEMA_VERSION, validatePipeline } from '../src/ir/index.ts';

export interface Workload {
  name: string;
  document: PipelineDocument;
  tasks: number;
  /** Fixed parallelism for this workload; otherwise the number of CPUs. */
  parallelism?: number;
  /** Seconds spent sleeping on the critical path at `parallelism`: subtracted before dividing by tasks. */
  criticalPathSleepSeconds: (parallelism: number) => number;
}

const ARTIFACT = { artifactType: { schemaTitle: 'system.Artifact', schemaVersion: '0.0.1' } };
const IMAGE = 'alpine:3.20';
const inputPath = (name: string) => `{{$.inputs.artifacts['${name}'].path}}`;
const OUTPUT_PATH = "{{$.outputs.artifacts['out'].path}}";
const NAME = "{{$.inputs.parameters['name']}}";

interface ComponentTemplate {
  inputArtifacts: string[];
  /** Whether the step takes its task name as the `name` parameter. */
  named: boolean;
  command: string[];
  args: string[];
}

const seed: ComponentTemplate = {
  inputArtifacts: [],
  named: true,
  command: ['sh', '-c', 'echo "$0" > "$1"'],
  args: [NAME, OUTPUT_PATH],
};
const copy: ComponentTemplate = {
  inputArtifacts: ['in'],
  named: true,
  command: ['sh', '-c', 'cat "$0" > "$1" && echo "$2" >> "$1"'],
  args: [inputPath('in'), OUTPUT_PATH, NAME],
};
/** Copies its first input; `test` (a builtin) checks the second is there, so both are real inputs. */
const copyFirstOfTwo: ComponentTemplate = {
  inputArtifacts: ['a', 'b'],
  named: true,
  command: ['sh', '-c', 'test -s "$1" && cat "$0" > "$2" && echo "$3" >> "$2"'],
  args: [inputPath('a'), inputPath('b'), OUTPUT_PATH, NAME],
};
const sleepOneSecond: ComponentTemplate = {
  inputArtifacts: [],
  named: true,
  command: ['sh', '-c', 'sleep 1 && echo "$0" > "$1"'],
  args: [NAME, OUTPUT_PATH],
};
function gather(count: number): ComponentTemplate {
  const inputs = Array.from({ length: count }, (_, index) => `in${index}`);
  return {
    inputArtifacts: inputs,
    named: false,
    command: ['sh', '-c', 'cat "$@" > "$0"'],
    args: [OUTPUT_PATH, ...inputs.map(inputPath)],
  };
}

/** One step of a DAG: its component and the tasks whose `out` feeds each of its input artifacts, in order. */
interface Step {
  name: string;
  component: string;
  from: string[];
}

function pipelineOf(
  name: string,
  components: Record<string, ComponentTemplate>,
  steps: Step[],
): PipelineDocument {
  const componentSpecs: Record<string, ComponentSpec> = {};
  const executors: Record<string, ExecutorSpec> = {};
  for (const [label, template] of Object.entries(components)) {
    componentSpecs[`comp-${label}`] = {
      executorLabel: `exec-${label}`,
      inputDefinitions: {
        ...(template.inputArtifacts.length > 0 && {
          artifacts: Object.fromEntries(template.inputArtifacts.map((input) => [input, ARTIFACT])),
        }),
        ...(template.named && { parameters: { name: { parameterType: 'STRING' as const } } }),
      },
      outputDefinitions: { artifacts: { out: ARTIFACT } },
    };
    executors[`exec-${label}`] = {
      container: { image: IMAGE, command: template.command, args: template.args },
    };
  }
  const tasks: Record<string, PipelineTaskSpec> = {};
  for (const step of steps) {
    const template = components[step.component]!;
    const inputs: TaskInputsSpec = {};
    if (step.from.length > 0) {
      inputs.artifacts = Object.fromEntries(
        step.from.map((producerTask, index) => [
          template.inputArtifacts[index]!,
          { taskOutputArtifact: { producerTask, outputArtifactKey: 'out' } },
        ]),
      );
    }
    if (template.named) inputs.parameters = { name: { runtimeValue: { constant: step.name } } };
    tasks[step.name] = {
      taskInfo: { name: step.name },
      componentRef: { name: `comp-${step.component}` },
      ...(step.from.length > 0 && { dependentTasks: [...new Set(step.from)].sort() }),
      inputs,
      cachingOptions: { enableCache: true },
    };
  }
  const document: PipelineDocument = {
    pipelineSpec: {
      pipelineInfo: { name: `bench-${name}` },
      components: componentSpecs,
      deploymentSpec: { executors },
      root: { dag: { tasks } },
      schemaVersion: IR_SCHEMA_VERSION,
      sdkVersion: 'sluice-bench',
    },
  };
  const issues = validatePipeline(document);
  if (issues.length > 0) throw new Error(`workload ${name} is not valid IR:\n${formatIssues(issues, name)}`);
  return document;
}

function chain(length: number): Workload {
  const steps: Step[] = [{ name: 'step-0', component: 'seed', from: [] }];
  for (let index = 1; index < length; index++) {
    steps.push({ name: `step-${index}`, component: 'copy', from: [`step-${index - 1}`] });
  }
  return {
    name: `chain${length}`,
    document: pipelineOf(`chain${length}`, { seed, copy }, steps),
    tasks: steps.length,
    criticalPathSleepSeconds: () => 0,
  };
}

/** 1 → width → 1: a seed, `width` copies of it, and one step that concatenates them all. */
function fan(width: number): Workload {
  const middle = Array.from({ length: width }, (_, index) => `fan-${index}`);
  const steps: Step[] = [
    { name: 'source', component: 'seed', from: [] },
    ...middle.map((name) => ({ name, component: 'copy', from: ['source'] })),
    { name: 'gather', component: 'gather', from: middle },
  ];
  return {
    name: `fan${width}`,
    document: pipelineOf(`fan${width}`, { seed, copy, gather: gather(width) }, steps),
    tasks: steps.length,
    criticalPathSleepSeconds: () => 0,
  };
}

/** `size` layers of `size` nodes; node (r, c) reads nodes c and c+1 (wrapping) of layer r−1. */
function grid(size: number): Workload {
  const node = (row: number, column: number) => `node-${row}-${column % size}`;
  const steps: Step[] = [];
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      steps.push(
        row === 0
          ? { name: node(row, column), component: 'seed', from: [] }
          : {
              name: node(row, column),
              component: 'copyFirstOfTwo',
              from: [node(row - 1, column), node(row - 1, column + 1)],
            },
      );
    }
  }
  return {
    name: `grid${size}x${size}`,
    document: pipelineOf(`grid${size}x${size}`, { seed, copyFirstOfTwo }, steps),
    tasks: steps.length,
    criticalPathSleepSeconds: () => 0,
  };
}

function sleepParallel(count: number, parallelism: number): Workload {
  const steps = Array.from({ length: count }, (_, index) => ({
    name: `sleep-${index}`,
    component: 'sleep',
    from: [],
  }));
  return {
    name: 'sleep-parallel',
    document: pipelineOf('sleep-parallel', { sleep: sleepOneSecond }, steps),
    tasks: count,
    parallelism,
    criticalPathSleepSeconds: (slots) => Math.ceil(count / slots),
  };
}

/** Every workload, in the order the bench runs them. Built lazily: fan10000 takes a moment to validate. */
export const WORKLOADS: ReadonlyArray<{ name: string; build: () => Workload }> = [
  { name: 'chain100', build: () => chain(100) },
  { name: 'fan1000', build: () => fan(1000) },
  { name: 'grid20x20', build: () => grid(20) },
  { name: 'sleep-parallel', build: () => sleepParallel(8, 4) },
  { name: 'fan10000', build: () => fan(10_000) },
];
