/**
 * If / Elif / Else. Each branch is a group whose tasks run only when its condition holds; Elif and Else
 * carry the negations of the branches before them, as KFP compiles them. Once a chain has an Elif or Else,
 * its branches sit in a `condition-branches` group, which is where OneOf outputs come from.
 */
import type { ConditionOperation } from './channels.ts';
import { ConditionBranchesGroup, ConditionGroup, type ConditionVariant } from './groups.ts';
import { DslError, PipelineContext } from './pipeline-context.ts';

export interface ConditionChain {
  /** Runs `body` when no earlier branch ran and `condition` holds. */
  Elif(condition: ConditionOperation, body: () => void, options?: { name?: string }): ConditionChain;
  /** Runs `body` when no earlier branch ran. Ends the chain. */
  Else(body: () => void, options?: { name?: string }): void;
}

/**
 * Runs `body`'s tasks only when `condition` holds at run time. Conditions compare a channel with a value or
 * another channel: `flip.output.eq('heads')`, `score.output.ge(0.9)`.
 * @example
 * If(flip.output.eq('heads'), () => { celebrate(); })
 *   .Elif(flip.output.eq('tails'), () => { retry(); })
 *   .Else(() => { investigate(); });
 */
export function If(
  condition: ConditionOperation,
  body: () => void,
  options?: { name?: string },
): ConditionChain {
  const context = PipelineContext.current('If()');
  checkCondition(condition, 'If()');
  const group = new ConditionGroup(
    `condition-${context.nextGroupId()}`,
    'if',
    [condition],
    [negate(condition)],
    options?.name,
  );
  runIn(context, group, body);
  return chainAfter(context, group);
}

function chainAfter(context: PipelineContext, tail: ConditionGroup): ConditionChain {
  let closed = false;
  const next = (
    variant: ConditionVariant,
    condition: ConditionOperation | undefined,
    body: () => void,
    name?: string,
  ) => {
    const what = variant === 'elif' ? 'Elif()' : 'Else()';
    if (closed)
      throw new DslError(
        `${what} must follow the If() or Elif() it continues, once; this chain already went on`,
      );
    if (PipelineContext.current(what) !== context)
      throw new DslError(`${what} must be used in the same pipeline as its If()`);
    if (condition) checkCondition(condition, what);
    closed = true;
    const branches = wrapInBranches(context, tail, what);
    const conditions = condition ? [...tail.negatedUpstream, condition] : [...tail.negatedUpstream];
    const negated = condition ? [...tail.negatedUpstream, negate(condition)] : [];
    const group = new ConditionGroup(
      `condition-${context.nextGroupId()}`,
      variant,
      conditions,
      negated,
      name,
    );
    context.reopenGroup(branches);
    try {
      runIn(context, group, body);
    } finally {
      context.popGroup();
    }
    return group;
  };
  return {
    Elif(condition, body, options) {
      return chainAfter(context, next('elif', condition, body, options?.name));
    },
    Else(body, options) {
      next('else', undefined, body, options?.name);
    },
  };
}

/**
 * The first Elif/Else wraps the If in a new `condition-branches` group. KFP swaps the two ids so numbering
 * reads in source order (branches-1 holds condition-2, condition-3 …); doing the same keeps names identical.
 */
function wrapInBranches(
  context: PipelineContext,
  tail: ConditionGroup,
  what: string,
): ConditionBranchesGroup {
  const parent = tail.parent;
  if (parent instanceof ConditionBranchesGroup) {
    if (parent.groups.at(-1) !== tail || context.currentGroup !== parent.parent) {
      throw new DslError(`${what} must directly follow the branch it continues`);
    }
    return parent;
  }
  if (context.lastGroup !== tail) {
    throw new DslError(`${what} must directly follow its If(), with no other control flow in between`);
  }
  context.takeLastGroup();
  const branches = new ConditionBranchesGroup(`condition-branches-${context.nextGroupId()}`);
  const branchesId = branches.name.slice(branches.name.lastIndexOf('-') + 1);
  const ifId = tail.name.slice(tail.name.lastIndexOf('-') + 1);
  branches.name = `condition-branches-${ifId}`;
  tail.name = `condition-${branchesId}`;
  context.pushGroup(branches);
  context.pushGroup(tail);
  context.popGroup();
  context.popGroup();
  return branches;
}

function runIn(context: PipelineContext, group: ConditionGroup, body: () => void): void {
  context.pushGroup(group);
  try {
    body();
  } finally {
    context.popGroup();
  }
}

function negate(condition: ConditionOperation): ConditionOperation {
  return { ...condition, negate: true };
}

function checkCondition(condition: unknown, what: string): void {
  const operation = condition as ConditionOperation | undefined;
  if (typeof condition === 'boolean') {
    throw new DslError(
      `${what} got the constant ${condition}: compare a channel instead, e.g. task.output.eq('heads') (== on channels is always false in JavaScript)`,
    );
  }
  if (!operation || typeof operation !== 'object' || !('operator' in operation)) {
    throw new DslError(`${what} needs a comparison such as task.output.eq('heads') or score.ge(0.9)`);
  }
}
