/**
 * examples/iris with Python steps: the same shape (load, split, two models in parallel, evaluate both,
 * keep the better, register it if good enough, report), each step a small scikit-learn script under
 * steps/ run as a container component. Results come back the way KFP's Python executor returns them:
 * output parameters in their output files, metrics as artifact metadata in the ExecutorOutput file.
 *   npx sluice run examples/iris-sklearn/pipeline.ts
 *   npx sluice run examples/iris-sklearn/pipeline.ts -p python=/usr/bin/python3   # another python
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ClassificationMetrics,
  component,
  Dataset,
  ExitHandler,
  If,
  Metrics,
  Model,
  Param,
  pipeline,
} from 'sluice';

/** Where the scripts are, absolute: tasks run in their own working directory, not the caller's. */
const script = (name: string) => fileURLToPath(new URL(`./steps/${name}`, import.meta.url));

/** For the docker and kubernetes executors; it needs scikit-learn added (`pip install scikit-learn`). */
const IMAGE = 'python:3.12';

/**
 * The first Python here that imports sklearn (Debian's python3-sklearn lives in /usr/bin/python3, which a
 * pyenv or venv `python3` earlier on PATH hides), else `python3`: the steps then fail saying what to install.
 */
const DEFAULT_PYTHON =
  ['python3', '/usr/bin/python3'].find((candidate) => {
    try {
      execFileSync(candidate, ['-c', 'import sklearn'], { stdio: 'ignore', timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  }) ?? 'python3';
/** Every step names its interpreter, so a run can pick the Python that has scikit-learn. */
const python = Param.string();

export const loadData = component({
  name: 'load-data',
  image: IMAGE,
  inputs: { python },
  outputs: { data: Dataset },
  command: ({ inputs }) => [inputs.python, script('load_data.py')],
  args: ({ outputs, executorOutputFile }) => [
    '--out',
    outputs.data.path,
    '--executor-output',
    executorOutputFile,
  ],
});

export const split = component({
  name: 'split',
  image: IMAGE,
  inputs: { python, data: Dataset, testFraction: Param.float(), seed: Param.int() },
  outputs: { train: Dataset, test: Dataset },
  command: ({ inputs }) => [inputs.python, script('split.py')],
  args: ({ inputs, outputs, executorOutputFile }) => [
    ...['--data', inputs.data.path, '--test-fraction', inputs.testFraction, '--seed', inputs.seed],
    ...['--train-out', outputs.train.path, '--test-out', outputs.test.path],
    ...['--executor-output', executorOutputFile],
  ],
});

export const trainForest = component({
  name: 'train-forest',
  image: IMAGE,
  inputs: { python, train: Dataset, trees: Param.int(), seed: Param.int() },
  outputs: { model: Model },
  command: ({ inputs }) => [inputs.python, script('train.py')],
  args: ({ inputs, outputs, executorOutputFile }) => [
    ...['--algorithm', 'random-forest', '--train', inputs.train.path],
    ...['--trees', inputs.trees, '--seed', inputs.seed],
    ...['--model-out', outputs.model.path, '--executor-output', executorOutputFile],
  ],
});

export const trainLogistic = component({
  name: 'train-logistic',
  image: IMAGE,
  inputs: { python, train: Dataset, C: Param.float(), maxIter: Param.int() },
  outputs: { model: Model },
  command: ({ inputs }) => [inputs.python, script('train.py')],
  args: ({ inputs, outputs, executorOutputFile }) => [
    ...['--algorithm', 'logistic-regression', '--train', inputs.train.path],
    ...['--c', inputs.C, '--max-iter', inputs.maxIter],
    ...['--model-out', outputs.model.path, '--executor-output', executorOutputFile],
  ],
});

export const evaluate = component({
  name: 'evaluate',
  image: IMAGE,
  inputs: { python, model: Model, test: Dataset },
  outputs: { metrics: Metrics, confusion: ClassificationMetrics, accuracy: Param.float() },
  command: ({ inputs }) => [inputs.python, script('evaluate.py')],
  args: ({ inputs, outputs, executorOutputFile }) => [
    ...['--model', inputs.model.path, '--test', inputs.test.path],
    ...['--accuracy-out', outputs.accuracy, '--executor-output', executorOutputFile],
  ],
});

export const selectBest = component({
  name: 'select-best',
  image: IMAGE,
  inputs: {
    python,
    forest: Model,
    forestAccuracy: Param.float(),
    logistic: Model,
    logisticAccuracy: Param.float(),
  },
  outputs: { model: Model, accuracy: Param.float() },
  command: ({ inputs }) => [inputs.python, script('select_best.py')],
  args: ({ inputs, outputs, executorOutputFile }) => [
    ...['--forest', inputs.forest.path, '--forest-accuracy', inputs.forestAccuracy],
    ...['--logistic', inputs.logistic.path, '--logistic-accuracy', inputs.logisticAccuracy],
    ...['--model-out', outputs.model.path, '--accuracy-out', outputs.accuracy],
    ...['--executor-output', executorOutputFile],
  ],
});

export const register = component({
  name: 'register',
  image: IMAGE,
  inputs: {
    python,
    model: Model,
    accuracy: Param.float(),
    data: Dataset,
    registry: Param.string(),
    // The run's settings, for the lineage record.
    testFraction: Param.float(),
    seed: Param.int(),
    trees: Param.int(),
    C: Param.float(),
    maxIter: Param.int(),
    threshold: Param.float(),
  },
  outputs: { registered: Model },
  command: ({ inputs }) => [inputs.python, script('register.py')],
  args: ({ inputs, outputs, executorOutputFile }) => [
    ...['--name', 'iris-classifier-sklearn', '--registry', inputs.registry],
    ...['--model', inputs.model.path, '--model-uri', inputs.model.uri, '--accuracy', inputs.accuracy],
    ...['--data', inputs.data.path, '--data-uri', inputs.data.uri],
    '--parameters',
    `{"testFraction": ${inputs.testFraction}, "seed": ${inputs.seed}, "trees": ${inputs.trees}, "C": ${inputs.C}, "maxIter": ${inputs.maxIter}, "threshold": ${inputs.threshold}}`,
    ...['--registered-out', outputs.registered.path, '--executor-output', executorOutputFile],
  ],
});

export const report = component({
  name: 'report',
  image: IMAGE,
  inputs: { python, status: Param.taskFinalStatus() },
  command: ({ inputs }) => [inputs.python, script('report.py'), inputs.status],
});

export default pipeline(
  {
    name: 'iris-classifier-sklearn',
    description: 'Iris with scikit-learn steps: random forest vs logistic regression, register the better.',
    inputs: {
      testFraction: Param.float({ default: 0.3 }),
      seed: Param.int({ default: 42 }),
      trees: Param.int({ default: 100 }),
      C: Param.float({ default: 1.0, description: 'inverse regularisation strength of the logistic model' }),
      maxIter: Param.int({ default: 200 }),
      threshold: Param.float({ default: 0.9 }),
      registry: Param.string({
        default: '',
        description: "registry directory; '' means $SLUICE_HOME/registry",
      }),
      python: Param.string({ default: DEFAULT_PYTHON, description: 'a Python 3 that can import sklearn' }),
    },
  },
  ({ testFraction, seed, trees, C, maxIter, threshold, registry, python }) => {
    const outcome = report({ python }).setCachingOptions(false);
    ExitHandler(outcome, () => {
      const loaded = loadData({ python });
      const parts = split({ python, data: loaded.outputs.data, testFraction, seed });
      const forest = trainForest({ python, train: parts.outputs.train, trees, seed });
      const logistic = trainLogistic({ python, train: parts.outputs.train, C, maxIter });
      const forestScore = evaluate({ python, model: forest.outputs.model, test: parts.outputs.test });
      const logisticScore = evaluate({ python, model: logistic.outputs.model, test: parts.outputs.test });
      const best = selectBest({
        python,
        forest: forest.outputs.model,
        forestAccuracy: forestScore.outputs.accuracy,
        logistic: logistic.outputs.model,
        logisticAccuracy: logisticScore.outputs.accuracy,
      });
      If(best.outputs.accuracy.ge(threshold), () => {
        // Never cached: each run that gets here adds a version.
        register({
          python,
          model: best.outputs.model,
          accuracy: best.outputs.accuracy,
          data: loaded.outputs.data,
          registry,
          testFraction,
          seed,
          trees,
          C,
          maxIter,
          threshold,
        }).setCachingOptions(false);
      });
    });
  },
);
