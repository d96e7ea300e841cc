/**
 * The two trainers. Separate components (not one with an `algorithm` switch) so that each declares only
 * the hyperparameters it uses: changing `trees` then re-runs the forest alone, the logistic model comes
 * from the cache.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { component, Dataset, Model, Param } from 'sluice';
import { formatJson } from '../lib/files.ts';
import { parseCsv } from '../lib/iris-data.ts';
import { trainForest as fitForest, trainLogistic as fitLogistic } from '../lib/models.ts';

export const trainForest = component({
  name: 'train-forest',
  description: 'Trains a random forest (ml-random-forest) on the training set.',
  inputs: { train: Dataset, trees: Param.int(), seed: Param.int() },
  outputs: { model: Model },
  run: ({ train, trees, seed }, { model }) => {
    const file = fitForest(parseCsv(readFileSync(train.path, 'utf8')), { trees, seed });
    writeFileSync(model.path, formatJson(file));
    Object.assign(model.metadata, { algorithm: file.algorithm, trees, seed });
    console.log(`random forest: ${trees} trees, seed ${seed}`);
  },
});

export const trainLogistic = component({
  name: 'train-logistic',
  description: 'Trains a one-vs-all logistic regression (ml-logistic-regression) on the training set.',
  inputs: { train: Dataset, learningRate: Param.float(), iterations: Param.int() },
  outputs: { model: Model },
  run: ({ train, learningRate, iterations }, { model }) => {
    const file = fitLogistic(parseCsv(readFileSync(train.path, 'utf8')), { learningRate, iterations });
    writeFileSync(model.path, formatJson(file));
    Object.assign(model.metadata, { algorithm: file.algorithm, learningRate, iterations });
    console.log(`logistic regression: learning rate ${learningRate}, ${iterations} iterations`);
  },
});
