/**
 * The two classifiers and the one file format both are saved in. The file carries what a later reader
 * needs besides the weights (feature order, class names, preprocessing), so that evaluate, select-best and
 * whoever loads the model from the registry predict the same way train did.
 */
import LogisticRegression, { type LogisticRegressionModel } from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { RandomForestClassifier } from 'ml-random-forest';
import type { JsonValue } from 'sluice';
import { CLASSES, FEATURES, type Sample } from './iris-data.ts';

export type Algorithm = 'random-forest' | 'logistic-regression';

/** The package's types declare this shape without exporting it. */
type ForestModel = Parameters<typeof RandomForestClassifier.load>[0];

export interface ModelFile {
  format: 'iris-model/1';
  algorithm: Algorithm;
  features: string[];
  classes: string[];
  hyperparameters: Record<string, number>;
  /** Logistic regression learns on standardised features; these are the training set's statistics. */
  standardization?: { mean: number[]; std: number[] };
  /** The library's own serialisation (mljs `toJSON()`). */
  model: JsonValue;
}

export function trainForest(
  train: ReadonlyArray<Sample>,
  options: { trees: number; seed: number },
): ModelFile {
  const forest = new RandomForestClassifier({
    nEstimators: options.trees,
    seed: options.seed,
    // All four features per tree, bootstrap samples per tree: with four features, sampling features
    // too would leave some trees without the petal measurements that separate the classes.
    maxFeatures: 1.0,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
  });
  forest.train(featuresOf(train), labelsOf(train));
  return modelFile('random-forest', { trees: options.trees, seed: options.seed }, forest.toJSON());
}

export function trainLogistic(
  train: ReadonlyArray<Sample>,
  options: { learningRate: number; iterations: number },
): ModelFile {
  const standardization = standardizationOf(featuresOf(train));
  const regression = new LogisticRegression({
    numSteps: options.iterations,
    learningRate: options.learningRate,
  });
  regression.train(designMatrix(featuresOf(train), standardization), Matrix.columnVector(labelsOf(train)));
  return {
    ...modelFile('logistic-regression', { ...options }, regression.toJSON()),
    standardization,
  };
}

/** Class indexes (into `file.classes`) predicted for each row of features. */
export function predict(file: ModelFile, features: number[][]): number[] {
  if (file.format !== 'iris-model/1') throw new Error(`unknown model format '${String(file.format)}'`);
  if (file.algorithm === 'random-forest') {
    return RandomForestClassifier.load(file.model as unknown as ForestModel).predict(features);
  }
  if (!file.standardization) throw new Error('logistic-regression model without standardization');
  const regression = LogisticRegression.load(file.model as unknown as LogisticRegressionModel);
  return regression.predict(designMatrix(features, file.standardization));
}

export function featuresOf(samples: ReadonlyArray<Sample>): number[][] {
  return samples.map((sample) => [...sample.features]);
}

export function labelsOf(samples: ReadonlyArray<Sample>): number[] {
  return samples.map((sample) => CLASSES.indexOf(sample.species));
}

function modelFile(algorithm: Algorithm, hyperparameters: Record<string, number>, model: unknown): ModelFile {
  return {
    format: 'iris-model/1',
    algorithm,
    features: [...FEATURES],
    classes: [...CLASSES],
    hyperparameters,
    // Through JSON once: mljs models hold Matrix objects, which serialise to plain arrays.
    model: JSON.parse(JSON.stringify(model)) as JsonValue,
  };
}

function standardizationOf(features: number[][]): { mean: number[]; std: number[] } {
  const columns = features[0]?.length ?? 0;
  const mean = Array.from({ length: columns }, (_, j) => average(features.map((row) => row[j]!)));
  const std = mean.map((m, j) => Math.sqrt(average(features.map((row) => (row[j]! - m) ** 2))) || 1);
  return { mean, std };
}

/**
 * Standardised features plus a constant column: ml-logistic-regression fits no intercept of its own, and
 * gradient descent converges far faster when every feature has the same scale.
 */
function designMatrix(features: number[][], { mean, std }: { mean: number[]; std: number[] }): Matrix {
  return new Matrix(features.map((row) => [...row.map((value, j) => (value - mean[j]!) / std[j]!), 1]));
}

function average(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
