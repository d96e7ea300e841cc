import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkStructure, type PipelineDocument, parsePipeline } from '../../src/ir/index.ts';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ir/two-step.yaml');
const twoStep = parsePipeline(readFileSync(fixture, 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: the tests break documents in ways the types forbid
type Loose = any;

/** The fixture broken by `edit`, checked; one `CODE path: message` line per issue. */
function issuesAfter(edit: (spec: Loose, platform: Loose) => void): string {
  const document = structuredClone(twoStep) as Loose;
  edit(document.pipelineSpec, document.platformSpec);
  return checkStructure(document as PipelineDocument)
    .map((issue) => `${issue.code} ${issue.path}: ${issue.message}`)
    .join('\n');
}

const task = (spec: Loose, name: string) => spec.root.dag.tasks[name];

describe('checkStructure', () => {
  it('accepts the fixture', () => {
    expect(checkStructure(twoStep)).toEqual([]);
  });

  it('suggests the field a typo was meant to be', () => {
    const found = issuesAfter((spec) => {
      spec.components_1 = spec.components;
      delete spec.components;
      task(spec, 'train').componentRf = task(spec, 'train').componentRef;
      delete task(spec, 'train').componentRef;
      spec.deploymentSpec.executors['exec-train'].container.imag = 'alpine';
    });
    expect(found).toMatchInlineSnapshot(`
      "UNKNOWN_FIELD components_1: unknown field in PipelineSpec (did you mean 'components'?)
      UNKNOWN_FIELD deploymentSpec.executors.exec-train.container.imag: unknown field in PipelineContainerSpec (did you mean 'image'?)
      MISSING_FIELD root.dag.tasks.train.componentRef: missing; a task runs the component named by componentRef.name
      UNKNOWN_FIELD root.dag.tasks.train.componentRf: unknown field in PipelineTaskSpec (did you mean 'componentRef'?)"
    `);
  });

  it('lists the fields of the message when nothing is close', () => {
    expect(issuesAfter((spec) => (task(spec, 'train').runAfter = ['make-data']))).toMatchInlineSnapshot(
      `"UNKNOWN_FIELD root.dag.tasks.train.runAfter: unknown field in PipelineTaskSpec; its fields are taskInfo, inputs, dependentTasks, cachingOptions, componentRef, triggerPolicy, artifactIterator, parameterIterator, retryPolicy, iteratorPolicy"`,
    );
  });

  it('points a PlatformSpec key written into the PipelineSpec at the second document', () => {
    expect(issuesAfter((spec, platform) => (spec.platforms = platform.platforms))).toMatchInlineSnapshot(
      `"UNKNOWN_FIELD platforms: unknown field in PipelineSpec; 'platforms' belongs to the PlatformSpec, a second YAML document after a '---' line"`,
    );
  });

  it('lists the allowed values of an enum, with a suggestion', () => {
    const found = issuesAfter((spec) => {
      spec.root.inputDefinitions.parameters.epochs.parameterType = 'NUMBER_INTEGR';
      task(spec, 'train').triggerPolicy = { strategy: 'ALL_UPSTREAM_TASKS_COMPLETE' };
    });
    expect(found).toMatchInlineSnapshot(`
      "INVALID_VALUE root.dag.tasks.train.triggerPolicy.strategy: unknown value "ALL_UPSTREAM_TASKS_COMPLETE" (did you mean 'ALL_UPSTREAM_TASKS_COMPLETED'?); expected one of ALL_UPSTREAM_TASKS_SUCCEEDED, ALL_UPSTREAM_TASKS_COMPLETED
      INVALID_VALUE root.inputDefinitions.parameters.epochs.parameterType: unknown value "NUMBER_INTEGR" (did you mean 'NUMBER_INTEGER'?); expected one of NUMBER_DOUBLE, NUMBER_INTEGER, STRING, BOOLEAN, LIST, STRUCT, TASK_FINAL_STATUS, TASK_CONFIG"
    `);
  });

  it('says which JSON type was expected and which was found', () => {
    const found = issuesAfter((spec) => {
      spec.schemaVersion = 2.1;
      spec.deploymentSpec.executors['exec-train'].container.args[1] = 3;
      task(spec, 'train').dependentTasks = 'make-data';
      task(spec, 'make-data').componentRef = 'comp-make-data';
      task(spec, 'train').cachingOptions.enableCache = 'yes';
      task(spec, 'train').retryPolicy = { maxRetryCount: -1, backoffDuration: '5m' };
    });
    expect(found).toMatchInlineSnapshot(`
      "INVALID_VALUE deploymentSpec.executors.exec-train.container.args[1]: expected a string, got the number 3; quote the value in YAML to keep it text
      INVALID_VALUE root.dag.tasks.make-data.componentRef: expected a ComponentRef mapping (with name), got the string "comp-make-data"
      INVALID_VALUE root.dag.tasks.train.cachingOptions.enableCache: expected true or false, got the string "yes"
      INVALID_VALUE root.dag.tasks.train.dependentTasks: expected a list, got the string "make-data"
      INVALID_VALUE root.dag.tasks.train.retryPolicy.backoffDuration: expected a duration such as "30s", got the string "5m"
      INVALID_VALUE root.dag.tasks.train.retryPolicy.maxRetryCount: must be >= 0, got the number -1
      INVALID_VALUE schemaVersion: expected a string, got the number 2.1; quote the value in YAML to keep it text"
    `);
  });

  it('reports both members of a oneof when both are set', () => {
    const found = issuesAfter((spec) => {
      spec.components['comp-train'].dag = { tasks: {} };
      task(spec, 'make-data').inputs.parameters.message.runtimeValue = { constant: 'hi' };
      spec.deploymentSpec.executors['exec-train'].importer = {
        artifactUri: { constant: 'gs://x' },
        typeSchema: { schemaTitle: 'system.Model' },
      };
      task(spec, 'train').parameterIterator = { items: { raw: '[1]' }, itemInput: 'epochs' };
      task(spec, 'train').artifactIterator = { items: { inputArtifact: 'data' }, itemInput: 'data' };
      spec.root.outputDefinitions.artifacts.model.artifactType.instanceSchema = 'title: x';
    });
    expect(found).toMatchInlineSnapshot(`
      "ONEOF_CONFLICT components.comp-train: sets both 'dag' and 'executorLabel'; set exactly one of 'dag' or 'executorLabel' (a component is either a DAG or runs an executor)
      ONEOF_CONFLICT deploymentSpec.executors.exec-train: sets both 'container' and 'importer'; set exactly one of 'container', 'importer', 'resolver' or 'customJob' (the kinds of executor are exclusive)
      ONEOF_CONFLICT root.dag.tasks.make-data.inputs.parameters.message: sets both 'componentInputParameter' and 'runtimeValue'; set exactly one of 'componentInputParameter', 'taskOutputParameter', 'runtimeValue' or 'taskFinalStatus' (an input parameter takes its value from one source)
      ONEOF_CONFLICT root.dag.tasks.train: sets both 'parameterIterator' and 'artifactIterator'; set at most one of them (a task iterates over one collection)
      ONEOF_CONFLICT root.outputDefinitions.artifacts.model.artifactType: sets both 'schemaTitle' and 'instanceSchema'; set exactly one of 'schemaTitle', 'instanceSchema' or 'schemaUri' (an artifact type is named one way)"
    `);
  });

  it('reports a oneof with no member set', () => {
    const found = issuesAfter((spec) => {
      delete spec.components['comp-train'].executorLabel;
      task(spec, 'make-data').inputs.parameters.message = {};
      task(spec, 'train').inputs.artifacts.data = {};
      spec.deploymentSpec.executors['exec-train'] = {};
      spec.root.dag.outputs.parameters = { acc: {} };
    });
    expect(found).toMatchInlineSnapshot(`
      "ONEOF_CONFLICT components.comp-train: needs one of 'dag' or 'executorLabel' (a component is either a DAG or runs an executor)
      ONEOF_CONFLICT deploymentSpec.executors.exec-train: needs one of 'container', 'importer', 'resolver' or 'customJob' (the kinds of executor are exclusive)
      ONEOF_CONFLICT root.dag.outputs.parameters.acc: needs one of 'valueFromParameter' or 'valueFromOneof' (a DAG output parameter comes from one place)
      ONEOF_CONFLICT root.dag.tasks.make-data.inputs.parameters.message: needs one of 'componentInputParameter', 'taskOutputParameter', 'runtimeValue' or 'taskFinalStatus' (an input parameter takes its value from one source)
      ONEOF_CONFLICT root.dag.tasks.train.inputs.artifacts.data: needs one of 'componentInputArtifact' or 'taskOutputArtifact' (an input artifact comes from one source)"
    `);
  });

  it('reports fields KFP requires', () => {
    const found = issuesAfter((spec) => {
      spec.pipelineInfo.name = '';
      delete spec.deploymentSpec.executors['exec-train'].container.image;
      task(spec, 'train').componentRef = {};
      delete task(spec, 'train').inputs.artifacts.data.taskOutputArtifact.producerTask;
      delete spec.components['comp-train'].inputDefinitions.parameters.epochs.parameterType;
      delete spec.components['comp-train'].outputDefinitions.artifacts.model.artifactType;
      spec.root.dag.outputs.artifacts.model.artifactSelectors = [];
      task(spec, 'make-data').parameterIterator = { items: { raw: '[1, 2]' } };
    });
    expect(found).toMatchInlineSnapshot(`
      "MISSING_FIELD components.comp-train.inputDefinitions.parameters.epochs.parameterType: missing; a parameter needs a type: one of NUMBER_DOUBLE, NUMBER_INTEGER, STRING, BOOLEAN, LIST, STRUCT, TASK_FINAL_STATUS, TASK_CONFIG
      MISSING_FIELD components.comp-train.outputDefinitions.artifacts.model.artifactType: missing; an artifact needs a type, e.g. {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
      MISSING_FIELD deploymentSpec.executors.exec-train.container.image: missing; name the container image to run
      MISSING_FIELD pipelineInfo.name: is empty; KFP requires a pipeline name (runs and their metadata are grouped by it)
      MISSING_FIELD root.dag.outputs.artifacts.model.artifactSelectors: missing; name the sub-task output(s) this DAG output exposes
      MISSING_FIELD root.dag.tasks.make-data.parameterIterator.itemInput: missing; name the input that receives each item
      MISSING_FIELD root.dag.tasks.train.componentRef.name: missing; name the component this task runs (a key of components)
      MISSING_FIELD root.dag.tasks.train.inputs.artifacts.data.taskOutputArtifact.producerTask: missing; name the upstream task"
    `);
  });

  it('requires a root DAG, a pipelineInfo and a supported schemaVersion', () => {
    expect(
      issuesAfter((spec) => {
        delete spec.pipelineInfo;
        spec.root = { executorLabel: 'exec-train' };
        spec.schemaVersion = '3.0.0';
      }),
    ).toMatchInlineSnapshot(`
      "MISSING_FIELD pipelineInfo: missing; KFP requires pipelineInfo.name
      MISSING_FIELD root.dag: missing; the root component must be a DAG of tasks, not an executor ('executorLabel')
      UNSUPPORTED_VERSION schemaVersion: schemaVersion "3.0.0" is not supported; Sluice reads 2.0.0 and 2.1.0"
    `);
    expect(
      issuesAfter((spec) => {
        delete spec.root;
        delete spec.schemaVersion;
      }),
    ).toMatchInlineSnapshot(`
      "MISSING_FIELD root: missing; the pipeline's root component (a DAG of tasks) is required
      MISSING_FIELD schemaVersion: missing; the KFP SDK writes schemaVersion: 2.1.0"
    `);
  });

  it('checks the PlatformSpec too', () => {
    expect(
      issuesAfter((_spec, platform) => {
        platform.platforms.kubernetes.deploymentSpecs = platform.platforms.kubernetes.deploymentSpec;
      }),
    ).toMatchInlineSnapshot(
      `"UNKNOWN_FIELD platforms.kubernetes.deploymentSpecs: unknown field in SinglePlatformSpec (did you mean 'deploymentSpec'?)"`,
    );
  });

  it('never throws, whatever it is given', () => {
    const inputs: Loose[] = [
      null,
      'text',
      [],
      { root: [] },
      { components: { a: null, b: [] }, root: { dag: { tasks: 'x' } } },
    ];
    for (const pipelineSpec of inputs) {
      expect(() => checkStructure({ pipelineSpec, platformSpec: pipelineSpec })).not.toThrow();
      expect(checkStructure({ pipelineSpec }).length).toBeGreaterThan(0);
    }
    expect(checkStructure({ pipelineSpec: null } as Loose)).toMatchInlineSnapshot(`
      [
        {
          "code": "INVALID_VALUE",
          "message": "expected a PipelineSpec mapping (with pipelineInfo, deploymentSpec, sdkVersion, schemaVersion, components, root, defaultPipelineRoot), got null",
          "path": "",
        },
      ]
    `);
  });
});
