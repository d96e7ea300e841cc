/**
 * Iris, end to end: import a CSV by reference, validate it, split it, train two models in parallel,
 * evaluate both, keep the better, and register it when it is good enough; an exit task reports the outcome
 * whatever happened. Every step is a TypeScript function running in its own Node process (steps/), with
 * real data (data/iris.csv) and real models (mljs); nothing touches the network.
 *   npx sluice run examples/iris/pipeline.ts
 *   npx sluice run examples/iris/pipeline.ts -p trees=50 -p threshold=0.95
 */
import { Dataset, ExitHandler, If, importer, Param, pipeline } from 'sluice';
import { evaluate } from './steps/evaluate.ts';
import { register } from './steps/register.ts';
import { report } from './steps/report.ts';
import { selectBest } from './steps/select-best.ts';
import { split } from './steps/split.ts';
import { trainForest, trainLogistic } from './steps/train.ts';
import { validateSchema } from './steps/validate-schema.ts';

/** The bundled data, by absolute URL so that the pipeline runs from any directory. */
export const DEFAULT_SOURCE = new URL('./data/iris.csv', import.meta.url).href;

export default pipeline(
  {
    name: 'iris-classifier',
    description:
      'Validate the Iris CSV, train a random forest and a logistic regression, register the better.',
    inputs: {
      source: Param.string({
        default: DEFAULT_SOURCE,
        description: 'file:// URL or absolute path of the CSV',
      }),
      testFraction: Param.float({ default: 0.3, description: 'share of each class held out for testing' }),
      seed: Param.int({ default: 42, description: 'seed of the split and of the forest' }),
      trees: Param.int({ default: 25, description: 'trees in the random forest' }),
      // Gradient descent in ml-logistic-regression sums (not averages) over rows, hence a small rate.
      learningRate: Param.float({ default: 0.01, description: 'logistic regression step size' }),
      iterations: Param.int({ default: 1000, description: 'logistic regression gradient steps' }),
      threshold: Param.float({ default: 0.9, description: 'lowest test accuracy that gets registered' }),
      registry: Param.string({
        default: '',
        description: "registry directory; '' means $SLUICE_HOME/registry",
      }),
    },
  },
  ({ source, testFraction, seed, trees, learningRate, iterations, threshold, registry }) => {
    // Reports on every run, including the ones that fail; never cached, since each run's outcome is news.
    const outcome = report().setCachingOptions(false);
    ExitHandler(outcome, () => {
      // By reference, not copied: the run records the file's URI and current digest, so a changed file
      // is a new input (and a cache miss) rather than a silent difference.
      const ingest = importer({
        name: 'ingest',
        artifactUri: source,
        artifactClass: Dataset,
        reimport: true,
      });
      // Bad data does not get better by trying again: fail at once, with the reason.
      const validated = validateSchema({ raw: ingest.output }).setRetry(0);
      const parts = split({ data: validated.outputs.validated, testFraction, seed });

      const forest = trainForest({ train: parts.outputs.train, trees, seed });
      const logistic = trainLogistic({ train: parts.outputs.train, learningRate, iterations });
      const forestScore = evaluate({ model: forest.outputs.model, test: parts.outputs.test });
      const logisticScore = evaluate({ model: logistic.outputs.model, test: parts.outputs.test });

      const best = selectBest({
        forest: forest.outputs.model,
        forestAccuracy: forestScore.outputs.accuracy,
        logistic: logistic.outputs.model,
        logisticAccuracy: logisticScore.outputs.accuracy,
      });
      If(best.outputs.accuracy.ge(threshold), () => {
        register({
          model: best.outputs.model,
          accuracy: best.outputs.accuracy,
          data: validated.outputs.validated,
          train: parts.outputs.train,
          test: parts.outputs.test,
          registry,
          testFraction,
          seed,
          trees,
          learningRate,
          iterations,
          threshold,
          // Each run that passes adds a version: a cached result would add none.
        }).setCachingOptions(false);
      });
    });
  },
);
