// The package ships no types; this covers the part the example uses (mljs/logistic-regression 2.0).
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  export interface LogisticRegressionModel {
    name: 'LogisticRegression';
    numSteps: number;
    learningRate: number;
    numberClasses: number;
    classifiers: unknown[];
  }

  /** One-vs-all logistic regression trained by plain gradient descent; labels are 0 … k-1. */
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(features: Matrix, labels: Matrix): void;
    predict(features: Matrix): number[];
    toJSON(): LogisticRegressionModel;
    static load(model: LogisticRegressionModel): LogisticRegression;
  }
}
