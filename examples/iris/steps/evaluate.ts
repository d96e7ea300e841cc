/** Scores one model on the test set; used once per model, so both are measured the same way. */
import { readFileSync } from 'node:fs';
import { ClassificationMetrics, component, Dataset, Metrics, Model, Param } from 'sluice';
import { readJson } from '../lib/files.ts';
import { parseCsv } from '../lib/iris-data.ts';
import { score } from '../lib/metrics.ts';
import { featuresOf, labelsOf, type ModelFile, predict } from '../lib/models.ts';

export const evaluate = component({
  name: 'evaluate',
  description: 'Accuracy, macro-F1 and the confusion matrix of a model on the test set.',
  inputs: { model: Model, test: Dataset },
  outputs: { metrics: Metrics, confusion: ClassificationMetrics, accuracy: Param.float() },
  run: ({ model, test }, { metrics, confusion }) => {
    const file = readJson<ModelFile>(model.path);
    const samples = parseCsv(readFileSync(test.path, 'utf8'));
    const scores = score(labelsOf(samples), predict(file, featuresOf(samples)), file.classes.length);
    metrics.logMetric('accuracy', scores.accuracy);
    metrics.logMetric('macro_f1', scores.macroF1);
    confusion.logConfusionMatrix(file.classes, scores.confusion);
    console.log(
      `${file.algorithm}: accuracy ${scores.accuracy.toFixed(3)}, macro-F1 ${scores.macroF1.toFixed(3)} on ${samples.length} test rows`,
    );
    return { accuracy: scores.accuracy };
  },
});
