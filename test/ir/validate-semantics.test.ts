import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatIssues } from '../../src/ir/issues.ts';
import type { ComponentSpec, ExecutorSpec, PipelineSpec, PipelineTaskSpec } from '../../src/ir/spec.ts';
import { validatePipeline } from '../../src/ir/validate.ts';
import { checkSemantics } from '../../src/ir/validate-semantics.ts';

const base = parse(
  readFileSync(new URL('../fixtures/ir/semantics-base.yaml', import.meta.url), 'utf8'),
) as PipelineSpec;

/** The issues of the base pipeline after one edit, one `path: message` line each. */
function issuesAfter(edit: (spec: PipelineSpec) => void): string {
  const spec = structuredClone(base);
  edit(spec);
  return formatIssues(checkSemantics({ pipelineSpec: spec }));
}

function codesAfter(edit: (spec: PipelineSpec) => void): string[] {
  const spec = structuredClone(base);
  edit(spec);
  return checkSemantics({ pipelineSpec: spec }).map((issue) => issue.code);
}

const task = (spec: PipelineSpec, name: string, owner?: string): PipelineTaskSpec =>
  (owner === undefined ? spec.root : spec.components![owner])!.dag!.tasks![name]!;
const component = (spec: PipelineSpec, name: string): ComponentSpec => spec.components![name]!;
const executor = (spec: PipelineSpec, label: string): ExecutorSpec => spec.deploymentSpec!.executors![label]!;

function rename<T>(record: Record<string, T> | undefined, from: string, to: string): void {
  record![to] = record![from]!;
  delete record![from];
}

describe('checkSemantics', () => {
  it('accepts the base pipeline', () => {
    expect(checkSemantics({ pipelineSpec: base })).toEqual([]);
    expect(validatePipeline({ pipelineSpec: base })).toEqual([]);
  });

  it('checks nothing in a document the PipelineSpec schema rejects (checkStructure reports it)', () => {
    expect(checkSemantics({ pipelineSpec: { root: 'not a component' } as unknown as PipelineSpec })).toEqual(
      [],
    );
  });

  it('keeps user names away from object prototypes', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'train').componentRef = { name: 'constructor' };
        task(s, 'prep').dependentTasks = ['toString'];
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.prep.dependentTasks[0]: task 'toString' does not exist in this DAG
      root.dag.tasks.train.componentRef.name: component 'constructor' does not exist in components"
    `);
  });
});

describe('references', () => {
  it('reports a componentRef or executorLabel that names nothing, with a suggestion', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'train').componentRef = { name: 'comp-trian' };
        component(s, 'comp-prep').executorLabel = 'exec-perp';
      }),
    ).toMatchInlineSnapshot(`
      "components.comp-prep.executorLabel: executor 'exec-perp' does not exist in deploymentSpec.executors (did you mean 'exec-prep'?)
      root.dag.tasks.train.componentRef.name: component 'comp-trian' does not exist in components (did you mean 'comp-train'?)"
    `);
  });

  it('does not report unused components and executors', () => {
    expect(
      issuesAfter((s) => {
        s.components!['comp-unused'] = {
          executorLabel: 'exec-print',
          inputDefinitions: { parameters: { message: { parameterType: 'STRING' } } },
        };
        s.deploymentSpec!.executors!['exec-unused'] = { container: { image: 'alpine' } };
      }),
    ).toBe('');
  });

  it('reports dependentTasks that are not siblings, pointing at the DAG that has the task', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'summarize').dependentTasks = ['for-loop-3', 'train-2', 'ghost'];
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.summarize.dependentTasks[0]: task 'for-loop-3' does not exist in this DAG (did you mean 'for-loop-2'?)
      root.dag.tasks.summarize.dependentTasks[1]: task 'train-2' does not exist in this DAG (did you mean 'train'?)
      root.dag.tasks.summarize.dependentTasks[2]: task 'ghost' does not exist in this DAG"
    `);
  });

  it('reports DAG output selectors that name no subtask or output, and outputs the DAG does not declare', () => {
    expect(
      issuesAfter((s) => {
        s.root!.dag!.outputs!.artifacts!.model!.artifactSelectors = [
          { producerSubtask: 'trian', outputArtifactKey: 'model' },
          { producerSubtask: 'train', outputArtifactKey: 'modle' },
        ];
        rename(
          component(s, 'comp-for-loop-2').dag!.outputs!.parameters,
          'pipelinechannel--train-2-accuracy',
          'acc',
        );
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.outputs.artifacts.model.artifactSelectors[0].producerSubtask: task 'trian' does not exist in this DAG
      root.dag.outputs.artifacts.model.artifactSelectors[1].outputArtifactKey: component comp-train (task train) has no output artifact 'modle'
      components.comp-for-loop-2.dag.outputs.parameters.acc: component comp-for-loop-2 does not declare output parameter 'acc'; add it to components.comp-for-loop-2.outputDefinitions.parameters"
    `);
  });
});

describe('task inputs', () => {
  it('reports an input the component does not declare, and the required input left unset', () => {
    expect(
      issuesAfter((s) => rename(task(s, 'train').inputs!.parameters, 'epochs', 'epoch')),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.train.inputs.parameters.epoch: component comp-train has no input 'epoch' (did you mean 'epochs'?)
      root.dag.tasks.train.inputs.parameters.epochs: required input parameter 'epochs' (NUMBER_INTEGER) of component comp-train is not set; pass it here, or mark it isOptional or give it a defaultValue in the component"
    `);
  });

  it('reports a required artifact that is not passed', () => {
    expect(issuesAfter((s) => delete task(s, 'train').inputs!.artifacts!.data)).toMatchInlineSnapshot(
      `"root.dag.tasks.train.inputs.artifacts.data: required input artifact 'data' of component comp-train is not set; pass it here, or mark it isOptional in the component"`,
    );
  });

  it('reports an artifact passed as a parameter', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'train').inputs!.parameters!.data = { componentInputParameter: 'message' };
      }),
    ).toMatchInlineSnapshot(`""`);
  });

  it('accepts compiler-added pipelinechannel inputs but not other extras', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'prep').inputs!.parameters!['pipelinechannel--epochs'] = {
          componentInputParameter: 'epochs',
        };
        task(s, 'prep').inputs!.parameters!.verbose = { runtimeValue: { constant: true } };
      }),
    ).toMatchInlineSnapshot(
      `"root.dag.tasks.prep.inputs.parameters.verbose: component comp-prep has no input 'verbose'"`,
    );
  });

  it('reports sources that name no enclosing input, sibling task or output', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'prep').inputs!.parameters!.message = { componentInputParameter: 'mesage' };
        task(s, 'train').inputs!.artifacts!.data = { componentInputArtifact: 'epochs' };
        task(s, 'summarize').inputs!.parameters!.accuracies = {
          taskOutputParameter: {
            producerTask: 'for-loop-2',
            outputParameterKey: 'pipelinechannel--train-2-acc',
          },
        };
        task(s, 'condition-1').inputs!.parameters!['pipelinechannel--train-accuracy'] = {
          taskOutputParameter: { producerTask: 'train', outputParameterKey: 'model' },
        };
        task(s, 'register', 'comp-condition-1').inputs!.artifacts!.model = {
          taskOutputArtifact: { producerTask: 'train', outputArtifactKey: 'model' },
        };
        task(s, 'notify').inputs!.parameters!.status = { taskFinalStatus: { producerTask: 'exit-handler' } };
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.notify.inputs.parameters.status.taskFinalStatus.producerTask: task 'exit-handler' does not exist in this DAG (did you mean 'exit-handler-1'?)
      root.dag.tasks.prep.inputs.parameters.message.componentInputParameter: the pipeline (root) has no input parameter 'mesage' (did you mean 'message'?)
      root.dag.tasks.train.inputs.artifacts.data.componentInputArtifact: 'epochs' is an input parameter of the pipeline (root), not an artifact; use componentInputParameter under inputs.parameters
      root.dag.tasks.condition-1.inputs.parameters.pipelinechannel--train-accuracy.taskOutputParameter.outputParameterKey: 'model' is an output artifact of component comp-train (task train), not a parameter
      root.dag.tasks.summarize.inputs.parameters.accuracies.taskOutputParameter.outputParameterKey: component comp-for-loop-2 (task for-loop-2) has no output parameter 'pipelinechannel--train-2-acc' (did you mean 'pipelinechannel--train-2-accuracy'?)
      components.comp-condition-1.dag.tasks.register.inputs.artifacts.model.taskOutputArtifact.producerTask: task 'train' is in the pipeline (root), not in this DAG; a DAG sees only its own tasks, so surface the value through that DAG's outputs"
    `);
  });
});

describe('dependency cycles', () => {
  it('spells out each cycle once, in run order', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'prep').dependentTasks = ['summarize'];
        task(s, 'notify').dependentTasks = ['exit-handler-1', 'notify'];
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.for-loop-2: dependency cycle for-loop-2 → summarize → prep → for-loop-2: each task must finish before the next one starts, so none of them can; remove one of these dependencies (a dependentTasks entry or an input taken from a task's output)
      root.dag.tasks.notify: dependency cycle notify → notify: each task must finish before the next one starts, so none of them can; remove one of these dependencies (a dependentTasks entry or an input taken from a task's output)"
    `);
  });

  it('reports tangled cycles as one issue naming every task caught in them', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'prep').dependentTasks = ['train', 'for-loop-2'];
      }),
    ).toMatchInlineSnapshot(
      `"root.dag.tasks.for-loop-2: dependency cycle for-loop-2 → prep → for-loop-2: each task must finish before the next one starts, so none of them can; train is caught in the same loop; remove one of these dependencies (a dependentTasks entry or an input taken from a task's output)"`,
    );
  });
});

describe('types', () => {
  it('reports parameter and artifact type mismatches on task inputs', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'train').inputs!.parameters!.epochs = { componentInputParameter: 'message' };
        task(s, 'train').inputs!.artifacts!.data = {
          taskOutputArtifact: { producerTask: 'importer', outputArtifactKey: 'artifact' },
        };
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.train.inputs.parameters.epochs: input 'message' of the pipeline (root) is STRING, but input 'epochs' of component comp-train is NUMBER_INTEGER
      root.dag.tasks.train.inputs.artifacts.data: task importer's output 'artifact' is system.Model, but input 'data' of component comp-train is system.Dataset"
    `);
  });

  it('reports an artifact list fed to a single artifact input, and the reverse', () => {
    expect(
      issuesAfter((s) => {
        component(s, 'comp-prep').outputDefinitions!.artifacts!.data!.isArtifactList = true;
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.train.inputs.artifacts.data: task prep's output 'data' is a list of system.Dataset, but input 'data' of component comp-train is system.Dataset
      root.dag.tasks.for-loop-2.inputs.artifacts.pipelinechannel--prep-data: task prep's output 'data' is a list of system.Dataset, but input 'pipelinechannel--prep-data' of component comp-for-loop-2 is system.Dataset"
    `);
  });

  it('accepts system.Artifact both ways, NUMBER_INTEGER into NUMBER_DOUBLE, and loop items of any declared type', () => {
    expect(
      issuesAfter((s) => {
        component(s, 'comp-train').inputDefinitions!.artifacts!.data!.artifactType!.schemaTitle =
          'system.Artifact';
        task(s, 'train').inputs!.parameters!.learning_rate = { componentInputParameter: 'epochs' };
        component(s, 'comp-for-loop-2').inputDefinitions!.parameters!['pipelinechannel--rates-loop-item'] = {
          parameterType: 'STRING',
        };
      }),
    ).toBe('');
  });

  it('does not compare a value taken through a parameterExpressionSelector', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'train').inputs!.parameters!.epochs = {
          componentInputParameter: 'message',
          parameterExpressionSelector: 'parseJson(string_value)["epochs"]',
        };
      }),
    ).toBe('');
  });

  it('reports a DAG output whose selected task output has another type', () => {
    expect(
      issuesAfter((s) => {
        s.root!.dag!.outputs!.artifacts!.model!.artifactSelectors = [
          { producerSubtask: 'prep', outputArtifactKey: 'data' },
        ];
      }),
    ).toMatchInlineSnapshot(
      `"root.dag.outputs.artifacts.model: task prep's output 'data' is system.Dataset, but the pipeline (root) declares output 'model' as system.Model"`,
    );
  });

  it('feeds TASK_FINAL_STATUS only from taskFinalStatus, and taskFinalStatus only into TASK_FINAL_STATUS', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'notify').inputs!.parameters!.status = { componentInputParameter: 'message' };
        task(s, 'prep').inputs!.parameters!.message = { taskFinalStatus: { producerTask: 'exit-handler-1' } };
        task(s, 'train').inputs!.parameters!.epochs = { runtimeValue: { constant: 3 } };
        component(s, 'comp-train').inputDefinitions!.parameters!.epochs!.parameterType = 'TASK_FINAL_STATUS';
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.notify.inputs.parameters.status: input 'message' of the pipeline (root) is STRING, but input 'status' of component comp-notify is TASK_FINAL_STATUS; only taskFinalStatus: {producerTask: …} can feed it
      root.dag.tasks.prep.inputs.parameters.message: taskFinalStatus gives a TASK_FINAL_STATUS value, but input 'message' of component comp-prep is STRING; declare the input as TASK_FINAL_STATUS
      root.dag.tasks.train.inputs.parameters.epochs: input 'epochs' of component comp-train is TASK_FINAL_STATUS, which only taskFinalStatus: {producerTask: …} can feed
      components.comp-for-loop-2.dag.tasks.train-2.inputs.parameters.epochs: input 'epochs' of component comp-train is TASK_FINAL_STATUS, which only taskFinalStatus: {producerTask: …} can feed"
    `);
  });
});

describe('iterators', () => {
  it('requires raw items to be a JSON array', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'for-loop-2').parameterIterator!.items = { raw: '{"a": 1}' };
      }),
    ).toMatchInlineSnapshot(
      `"root.dag.tasks.for-loop-2.parameterIterator.items.raw: items.raw must be a JSON array string such as '["a", "b"]' or '[1, 2]', but '{"a": 1}' is an object"`,
    );
    expect(
      issuesAfter((s) => {
        task(s, 'for-loop-2').parameterIterator!.items = { raw: '[1, 2' };
      }),
    ).toMatchInlineSnapshot(
      `"root.dag.tasks.for-loop-2.parameterIterator.items.raw: items.raw must be a JSON array string such as '["a", "b"]' or '[1, 2]', but '[1, 2' is not valid JSON (Expected ',' or ']' after array element in JSON at position 5)"`,
    );
  });

  it('requires the list to be a loop task input and the item to be a loop body input', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'for-loop-2').parameterIterator = {
          itemInput: 'pipelinechannel--rate-loop-item',
          items: { inputParameter: 'pipelinechannel--rate' },
        };
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.for-loop-2.inputs.parameters.pipelinechannel--rates-loop-item: required input parameter 'pipelinechannel--rates-loop-item' (NUMBER_DOUBLE) of component comp-for-loop-2 is not set; pass it here, or mark it isOptional or give it a defaultValue in the component; if it is the loop item, name it in parameterIterator.itemInput
      root.dag.tasks.for-loop-2.parameterIterator.items.inputParameter: task for-loop-2 has no input parameter 'pipelinechannel--rate' to iterate over (did you mean 'pipelinechannel--rates'?); pass the list under inputs.parameters.pipelinechannel--rate
      root.dag.tasks.for-loop-2.parameterIterator.itemInput: loop body component comp-for-loop-2 has no input parameter 'pipelinechannel--rate-loop-item' to receive each item (did you mean 'pipelinechannel--rates-loop-item'?)"
    `);
  });

  it('checks artifact iterators the same way', () => {
    expect(
      issuesAfter((s) => {
        const loop = task(s, 'for-loop-2');
        delete loop.parameterIterator;
        loop.artifactIterator = {
          itemInput: 'pipelinechannel--prep-data-item',
          items: { inputArtifact: 'prep-data' },
        };
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.for-loop-2.inputs.parameters.pipelinechannel--rates-loop-item: required input parameter 'pipelinechannel--rates-loop-item' (NUMBER_DOUBLE) of component comp-for-loop-2 is not set; pass it here, or mark it isOptional or give it a defaultValue in the component
      root.dag.tasks.for-loop-2.artifactIterator.items.inputArtifact: task for-loop-2 has no input artifact 'prep-data' to iterate over; pass the list under inputs.artifacts.prep-data
      root.dag.tasks.for-loop-2.artifactIterator.itemInput: loop body component comp-for-loop-2 has no input artifact 'pipelinechannel--prep-data-item' to receive each item (did you mean 'pipelinechannel--prep-data'?)"
    `);
  });
});

describe('conditions', () => {
  it('reports CEL that does not parse, with the parser’s message', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'condition-1').triggerPolicy!.condition = "double(inputs.parameter_values['x']) >";
        task(s, 'train-2', 'comp-for-loop-2').inputs!.parameters!.learning_rate!.parameterExpressionSelector =
          'parseJson(string_value)["lr"';
      }),
    ).toMatchInlineSnapshot(`
      "root.dag.tasks.condition-1.triggerPolicy.condition: not valid CEL: found > but expecting end of input (line 1, column 38)
      components.comp-for-loop-2.dag.tasks.train-2.inputs.parameters.learning_rate.parameterExpressionSelector: not valid CEL: found [ but expecting end of input (line 1, column 24); '[' is not closed"
    `);
  });

  it('reports a condition that reads a parameter the task does not have', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'condition-1').triggerPolicy!.condition =
          "double(inputs.parameter_values['pipelinechannel--train-acuracy']) > 0.9";
      }),
    ).toMatchInlineSnapshot(
      `"root.dag.tasks.condition-1.triggerPolicy.condition: reads inputs.parameter_values['pipelinechannel--train-acuracy'], but task condition-1 has no input parameter 'pipelinechannel--train-acuracy' (did you mean 'pipelinechannel--train-accuracy'?); a condition sees only the task's own inputs, so pass the value under inputs.parameters"`,
    );
  });
});

describe('placeholders', () => {
  it('reports executor placeholders naming undeclared inputs and outputs, with suggestions', () => {
    expect(
      issuesAfter((s) => {
        const args = executor(s, 'exec-train').container!.args!;
        args[1] = "{{$.inputs.parameters['epoch']}}";
        args[3] = "{{$.inputs.parameters['data']}}";
        args[5] = "{{$.outputs.parameters['model'].output_file}}";
        args[7] = "{{$.outputs.parameters['acc'].output_file}}";
        args[8] = '{"IfPresent": {"InputName": "lr", "Then": ["--lr", "{{$.inputs.parameters[\'lr\']}}"]}}';
        executor(s, 'exec-importer').importer!.artifactUri = { runtimeParameter: 'url' };
      }),
    ).toMatchInlineSnapshot(`
      "deploymentSpec.executors.exec-train.container.args[1]: {{$.inputs.parameters['epoch']}}: component comp-train has no input parameter 'epoch' (did you mean 'epochs'?)
      deploymentSpec.executors.exec-train.container.args[3]: {{$.inputs.parameters['data']}}: 'data' is an input artifact of component comp-train, not a parameter; use {{$.inputs.artifacts['data'].path}} or .uri
      deploymentSpec.executors.exec-train.container.args[5]: {{$.outputs.parameters['model'].output_file}}: 'model' is an output artifact of component comp-train; use {{$.outputs.artifacts['model'].path}} or .uri
      deploymentSpec.executors.exec-train.container.args[7]: {{$.outputs.parameters['acc'].output_file}}: component comp-train has no output parameter 'acc'
      deploymentSpec.executors.exec-train.container.args[8]: IfPresent InputName 'lr': component comp-train has no input 'lr'
      deploymentSpec.executors.exec-train.container.args[8]: {{$.inputs.parameters['lr']}}: component comp-train has no input parameter 'lr'
      deploymentSpec.executors.exec-importer.importer.artifactUri.runtimeParameter: runtimeParameter 'url': component comp-importer has no input parameter 'url' (did you mean 'uri'?)"
    `);
  });

  it('reports malformed placeholders wherever the executor has them', () => {
    expect(
      issuesAfter((s) => {
        const container = executor(s, 'exec-train').container!;
        container.env![0]!.value = '{{$.pipeline_job_nam}}';
        container.resources!.resourceMemoryLimit = "{{$.inputs.parameters['memory']";
        container.args!.push('{"Concat": ["--x=", 5]}');
      }),
    ).toMatchInlineSnapshot(`
      "deploymentSpec.executors.exec-train.container.args[9]: Concat[1]: expected a string, {"IfPresent": …} or {"Concat": […]}, got 5
      deploymentSpec.executors.exec-train.container.env[0].value: malformed placeholder '{{$.pipeline_job_nam}}': unknown name 'pipeline_job_nam' after '$.' (did you mean 'pipeline_job_name'?)
      deploymentSpec.executors.exec-train.container.resources.resourceMemoryLimit: unterminated placeholder '{{$.inputs.parameters['memory']': add '}}'"
    `);
  });

  it('lets an executor read an input only when every task using its component passes it', () => {
    expect(
      issuesAfter((s) => {
        executor(s, 'exec-train').container!.resources!.resourceCpuLimit =
          "{{$.inputs.parameters['pipelinechannel--cpu-Output']}}";
        task(s, 'train').inputs!.parameters!['pipelinechannel--cpu-Output'] = {
          runtimeValue: { constant: '2' },
        };
      }),
    ).toMatchInlineSnapshot(
      `"deploymentSpec.executors.exec-train.container.resources.resourceCpuLimit: {{$.inputs.parameters['pipelinechannel--cpu-Output']}}: component comp-train has no input parameter 'pipelinechannel--cpu-Output'"`,
    );
  });

  it('reports an f-string constant that reads an input the task does not have', () => {
    expect(
      issuesAfter((s) => {
        task(s, 'register', 'comp-condition-1').inputs!.parameters!.note = {
          runtimeValue: { constant: "accuracy {{$.inputs.parameters['pipelinechannel--train-acc']}}" },
        };
      }),
    ).toMatchInlineSnapshot(
      `"components.comp-condition-1.dag.tasks.register.inputs.parameters.note.runtimeValue.constant: {{$.inputs.parameters['pipelinechannel--train-acc']}}: task register has no input 'pipelinechannel--train-acc' (did you mean 'pipelinechannel--train-accuracy'?); the value is filled from the task's own inputs, so pass it under inputs.parameters"`,
    );
  });
});

describe('defaults and the pipeline name', () => {
  it('requires each default to be a value of the parameter type', () => {
    expect(
      issuesAfter((s) => {
        const parameters = s.root!.inputDefinitions!.parameters!;
        parameters.epochs!.defaultValue = 1.5;
        parameters.rates!.defaultValue = '0.1, 0.01';
        parameters.message!.defaultValue = 3;
        parameters.big = { parameterType: 'NUMBER_INTEGER', defaultValue: 2 ** 53 + 2 };
        parameters.debug = { parameterType: 'BOOLEAN', defaultValue: 'yes' };
        parameters.options = { parameterType: 'STRUCT', defaultValue: [] };
        parameters.ratio = { parameterType: 'NUMBER_DOUBLE', defaultValue: '0.5' };
        parameters.integral = { parameterType: 'NUMBER_INTEGER', defaultValue: 2.0 };
        parameters.none = { parameterType: 'STRING', defaultValue: null };
      }),
    ).toMatchInlineSnapshot(`
      "root.inputDefinitions.parameters.epochs.defaultValue: default 1.5 is not a whole number, but the parameter is NUMBER_INTEGER
      root.inputDefinitions.parameters.rates.defaultValue: default "0.1, 0.01" is a string, but the parameter is LIST; write a list
      root.inputDefinitions.parameters.message.defaultValue: default 3 is a number, but the parameter is STRING; quote it
      root.inputDefinitions.parameters.big.defaultValue: default 9007199254740994 is outside ±9007199254740991, the integers a NUMBER_INTEGER value keeps exactly through JSON
      root.inputDefinitions.parameters.debug.defaultValue: default "yes" is a string, but the parameter is BOOLEAN; write true or false
      root.inputDefinitions.parameters.options.defaultValue: default [] is a list, but the parameter is STRUCT; write an object (a map)
      root.inputDefinitions.parameters.ratio.defaultValue: default "0.5" is a string, but the parameter is NUMBER_DOUBLE; write a number"
    `);
  });

  it('requires a KFP pipeline name', () => {
    expect(
      issuesAfter((s) => {
        s.pipelineInfo!.name = 'My Training_Pipeline';
      }),
    ).toMatchInlineSnapshot(
      `"pipelineInfo.name: 'My Training_Pipeline' is not a valid KFP pipeline name: use 1–128 lowercase letters, digits and '-', starting with a letter or digit such as 'my-training-pipeline'; put a free-form title in pipelineInfo.displayName"`,
    );
    expect(codesAfter((s) => (s.pipelineInfo!.name = 'p'.repeat(129)))).toEqual(['INVALID_VALUE']);
    expect(codesAfter((s) => (s.pipelineInfo!.name = 'p'.repeat(128)))).toEqual([]);
  });
});
