/** Keeps the better of the two models, so that what follows handles one model whichever won. */
import { copyFileSync } from 'node:fs';
import { component, Model, Param } from 'sluice';
import { readJson } from '../lib/files.ts';
import type { ModelFile } from '../lib/models.ts';

export const selectBest = component({
  name: 'select-best',
  description: 'Copies the model with the higher test accuracy (the logistic regression on a tie).',
  inputs: { forest: Model, forestAccuracy: Param.float(), logistic: Model, logisticAccuracy: Param.float() },
  outputs: { model: Model, accuracy: Param.float() },
  run: ({ forest, forestAccuracy, logistic, logisticAccuracy }, { model }) => {
    // On a tie the smaller, simpler model wins: it is cheaper to serve and easier to explain.
    const [best, accuracy] =
      forestAccuracy > logisticAccuracy ? [forest, forestAccuracy] : [logistic, logisticAccuracy];
    copyFileSync(best.path, model.path);
    const { algorithm } = readJson<ModelFile>(best.path);
    Object.assign(model.metadata, { algorithm, accuracy });
    console.log(
      `best: ${algorithm} (accuracy ${accuracy.toFixed(3)}; forest ${forestAccuracy.toFixed(3)}, logistic ${logisticAccuracy.toFixed(3)})`,
    );
    return { accuracy };
  },
});
