/**
 * DAG inputs whose declared type is only a stand-in. The KFP compiler declares a loop item's input with a
 * guessed type (a dict item's sub-field as STRING, a list item as STRING or STRUCT, a sub-field that is itself
 * iterated as STRING) and a value taken through a parameterExpressionSelector keeps the source's type, so type
 * checks skip these inputs and everything they flow into through DAG inputs.
 */
import type { SemanticContext } from './semantic-context.ts';

/** The key untypedInputs uses: the owning component's path (`components.comp-x`, `root`) and the input. */
export function inputKey(ownerPath: string, input: string): string {
  return `${ownerPath}\0${input}`;
}

/**
 * inputKey()s of loop item inputs, inputs fed through a parameterExpressionSelector, and every input fed from
 * one of those (to a fixed point, since loops and conditions nest).
 */
export function untypedInputs(context: SemanticContext): Set<string> {
  const untyped = new Set<string>();
  const ownerOf = (componentName: string) => `components.${componentName}`;
  for (const scope of context.dags) {
    for (const task of Object.values(scope.tasks)) {
      const ref = task.componentRef?.name ?? '';
      const item = task.parameterIterator?.itemInput ?? task.artifactIterator?.itemInput;
      if (item !== undefined) untyped.add(inputKey(ownerOf(ref), item));
      for (const [input, source] of Object.entries(task.inputs?.parameters ?? {})) {
        if (source.parameterExpressionSelector !== undefined) untyped.add(inputKey(ownerOf(ref), input));
      }
    }
  }
  // Nothing seeded (no loop items, no selectors) means nothing to spread, so most DAGs skip the walk.
  for (let grew = untyped.size > 0; grew; ) {
    grew = false;
    for (const scope of context.dags) {
      const owner = scope.path.join('.');
      for (const task of Object.values(scope.tasks)) {
        const target = ownerOf(task.componentRef?.name ?? '');
        const spread = (input: string, from: string | undefined): void => {
          if (from === undefined) return;
          const key = inputKey(target, input);
          if (untyped.has(key) || !untyped.has(inputKey(owner, from))) return;
          untyped.add(key);
          grew = true;
        };
        for (const [input, source] of Object.entries(task.inputs?.parameters ?? {})) {
          spread(input, source.componentInputParameter);
        }
        for (const [input, source] of Object.entries(task.inputs?.artifacts ?? {})) {
          spread(input, source.componentInputArtifact);
        }
      }
    }
  }
  return untyped;
}
