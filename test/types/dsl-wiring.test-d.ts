/**
 * Type tests: checked by `tsc --noEmit` in `npm test`. Every `@ts-expect-error` line must fail to compile
 * (an unused directive is itself an error), and every other line must compile. Lines are kept small so
 * that each expected error can only come from the wiring mistake it names; wiring-errors.test.ts checks
 * the exact messages.
 */
import {
  Artifact,
  Collected,
  component,
  Dataset,
  ExitHandler,
  If,
  importer,
  Metrics,
  Model,
  OneOf,
  ParallelFor,
  Param,
  pipeline,
} from '../../src/index.ts';

const makeData = component({
  name: 'make-data',
  image: 'alpine',
  outputs: { data: Dataset, rows: Param.int(), label: Param.string(), tags: Param.list<string>() },
  command: ['true'],
});
const train = component({
  name: 'train',
  image: 'alpine',
  inputs: {
    data: Dataset,
    epochs: Param.int({ default: 5 }),
    lr: Param.float(),
    note: Param.string({ optional: true }),
  },
  outputs: { model: Model, metrics: Metrics },
  command: ['true'],
});
const anyArtifact = component({
  name: 'any-artifact',
  image: 'alpine',
  inputs: { thing: Artifact },
  command: ['true'],
});
const manyModels = component({
  name: 'many-models',
  image: 'alpine',
  inputs: { models: Model.list() },
  command: ['true'],
});
const sumInts = component({
  name: 'sum',
  image: 'alpine',
  inputs: { values: Param.list() },
  outputs: { total: Param.int() },
  command: ['true'],
});
const report = component({
  name: 'report',
  image: 'alpine',
  inputs: { status: Param.taskFinalStatus(), channel: Param.string() },
  command: ['true'],
});
const structInput = component({
  name: 'struct-input',
  image: 'alpine',
  inputs: { config: Param.struct() },
  command: ['true'],
});
const single = component({
  name: 'single',
  image: 'alpine',
  outputs: { only: Param.string() },
  command: ['true'],
});

export const wiring = pipeline(
  { name: 'wiring', inputs: { lr: Param.float({ default: 0.1 }), n: Param.int() } },
  ({ lr, n }) => {
    const data = makeData();
    // Correct wiring compiles.
    const trained = train({ data: data.outputs.data, lr, epochs: data.outputs.rows });
    train({ data: data.outputs.data, lr: n }); // int channel into a float input is a widening
    train({ data: data.outputs.data, lr: 0.5, note: `rows=${data.outputs.rows}` });
    anyArtifact({ thing: trained.outputs.model }); // system.Artifact accepts any artifact
    const label: string = single().output.name;
    void label;

    // @ts-expect-error a Model output is not a Dataset
    train({ data: trained.outputs.model, lr });
    // @ts-expect-error a string output into an int input
    train({ data: data.outputs.data, lr, epochs: data.outputs.label });
    // @ts-expect-error a string constant into a float input
    train({ data: data.outputs.data, lr: '0.1' });
    // @ts-expect-error the required input `lr` is missing
    train({ data: data.outputs.data });
    // @ts-expect-error the required artifact `data` is missing
    train({ lr });
    // @ts-expect-error `epoch` is not an input (it is `epochs`)
    train({ data: data.outputs.data, lr, epoch: 3 });
    // @ts-expect-error `weights` is not an output of train
    void trained.outputs.weights;
    // @ts-expect-error `.output` needs exactly one output; train has two
    anyArtifact({ thing: trained.output });
    // @ts-expect-error an artifact into a parameter input
    train({ data: data.outputs.data, lr: trained.outputs.model });
    // @ts-expect-error a parameter into an artifact input
    anyArtifact({ thing: data.outputs.rows });
    // @ts-expect-error a single model into a list-of-models input
    manyModels({ models: trained.outputs.model });
    // @ts-expect-error a string channel is not a STRUCT constant
    structInput({ config: data.outputs.label });
    structInput({ config: { rate: 0.1, tags: ['a'] } });
    // @ts-expect-error a string channel into a LIST input
    sumInts({ values: data.outputs.label });
    sumInts({ values: [1, 2, 3] });
    // @ts-expect-error TASK_FINAL_STATUS inputs are filled by Sluice, never passed
    report({ channel: '#ml', status: 'SUCCEEDED' });

    // Loops: literal items are typed, Collected makes lists.
    const perRate = ParallelFor([0.1, 0.01], (rate) => train({ data: data.outputs.data, lr: rate }));
    manyModels({ models: Collected(perRate.outputs.model) });
    ParallelFor([1, 2, 3], (count) => train({ data: data.outputs.data, lr, epochs: count }));
    // @ts-expect-error 0.5 is not an integer, so the loop item does not fit an int input
    ParallelFor([1, 0.5], (count) => train({ data: data.outputs.data, lr, epochs: count }));
    ParallelFor([{ rate: 0.1, name: 'a' }], (config) =>
      train({ data: data.outputs.data, lr: config.field('rate') }),
    );
    // @ts-expect-error `speed` is not a field of the items
    ParallelFor([{ rate: 0.1 }], (config) => train({ data: data.outputs.data, lr: config.field('speed') }));
    // @ts-expect-error a string field into a float input
    ParallelFor([{ name: 'a' }], (config) => train({ data: data.outputs.data, lr: config.field('name') }));
    ParallelFor(data.outputs.tags, (tag) => train({ data: data.outputs.data, lr, note: tag }));
    sumInts({ values: Collected(single().output) });

    // Conditions and OneOf.
    If(data.outputs.label.eq('go'), () => {
      train({ data: data.outputs.data, lr });
    })
      .Elif(data.outputs.rows.gt(10), () => {})
      .Else(() => {});

    // Importer output is typed by its class.
    const imported = importer({ artifactUri: 'file:///tmp/x.csv', artifactClass: Dataset });
    train({ data: imported.output, lr });
    // @ts-expect-error an imported Model is not a Dataset
    train({ data: importer({ artifactUri: 'file:///tmp/m', artifactClass: Model }).output, lr });

    // Exit handler with an auto-wired status input.
    const notify = report({ channel: '#ml' });
    ExitHandler(notify, () => {
      train({ data: data.outputs.data, lr });
    });

    return { model: trained.outputs.model };
  },
);

// A pipeline is a component: its inputs and outputs are typed too.
export const outer = pipeline({ name: 'outer' }, () => {
  const inner = wiring({ n: 3 });
  anyArtifact({ thing: inner.outputs.model });
  // @ts-expect-error `n` is required by the inner pipeline
  wiring({});
  // @ts-expect-error the inner pipeline has no output `metrics`
  void inner.outputs.metrics;
  // @ts-expect-error the inner pipeline's model is not a Dataset
  train({ data: inner.outputs.model, lr: 0.1 });
});

// OneOf keeps the type of its branches.
export const oneOf = pipeline({ name: 'one-of' }, () => {
  const data = makeData();
  let a = single();
  let b = single();
  If(data.outputs.label.eq('x'), () => {
    a = single();
  }).Else(() => {
    b = single();
  });
  const chosen = OneOf(a.output, b.output);
  // @ts-expect-error a STRING OneOf into a float input
  train({ data: data.outputs.data, lr: chosen });
  train({ data: data.outputs.data, lr: 0.1, note: chosen });
});

// A function component receives defaulted inputs as values; optional ones without default may be absent.
export const typedRun = component({
  name: 'typed-run',
  inputs: {
    a: Param.int({ default: 1 }),
    b: Param.int({ optional: true }),
    c: Param.list<string>({ default: [] }),
  },
  outputs: { sum: Param.int() },
  run: ({ a, b, c }) => {
    const first: number = a;
    const list: string[] = c;
    // @ts-expect-error `b` is optional without a default, so it may be undefined
    const second: number = b;
    return { sum: first + second + list.length };
  },
});
