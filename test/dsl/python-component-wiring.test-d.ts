/**
 * Type tests, checked by `tsc --noEmit`: a pythonComponent's task is typed exactly like a component()'s, so
 * wiring mistakes into or out of a Python step fail to compile. Every `@ts-expect-error` line must fail.
 */
import { component, Dataset, Model, Param, pipeline, pythonComponent } from '../../src/index.ts';

const train = pythonComponent({
  name: 'train',
  inputs: { data: Dataset, epochs: Param.int({ default: 3 }) },
  outputs: { model: Model, accuracy: Param.float() },
  source:
    "def train(data: Input[Dataset], model: Output[Model], epochs: int = 3) -> NamedTuple('O', [('accuracy', float)]):\n    pass\n",
});
const makeModel = component({
  name: 'make-model',
  image: 'alpine',
  outputs: { model: Model },
  command: ['true'],
});
const makeData = component({
  name: 'make-data',
  image: 'alpine',
  outputs: { data: Dataset, label: Param.string() },
  command: ['true'],
});
const useInt = component({ name: 'use-int', image: 'alpine', inputs: { n: Param.int() }, command: ['true'] });

export default pipeline({ name: 'python-wiring' }, () => {
  const data = makeData().outputs;
  const model = makeModel().outputs.model;
  const trained = train({ data: data.data, epochs: 5 });
  // @ts-expect-error a Model into a Dataset input
  train({ data: model });
  // @ts-expect-error a string output into an int input
  train({ data: data.data, epochs: data.label });
  // @ts-expect-error the required input `data` is missing
  train({ epochs: 2 });
  // @ts-expect-error an input that does not exist
  train({ data: data.data, lr: 0.1 });
  // @ts-expect-error a float output into an int input
  useInt({ n: trained.outputs.accuracy });
  // @ts-expect-error an output that does not exist
  trained.outputs.loss;
  makeModel();
});
