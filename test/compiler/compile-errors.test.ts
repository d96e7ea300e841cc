/**
 * DSL misuse fails with a DslError (code `DSL_INVALID`) whose message says what is wrong and what to do,
 * at the point KFP's SDK would fail: when the pipeline is declared, when its body runs, or when it compiles.
 * Mistakes `tsc` already catches are made here through `any`, as a JavaScript caller could.
 */
import { describe, expect, test } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.ts';
import {
  Collected,
  component,
  Dataset,
  DslError,
  ExitHandler,
  If,
  Model,
  OneOf,
  ParallelFor,
  Param,
  pipeline,
} from '../../src/index.ts';

const produce = component({
  name: 'produce',
  image: 'alpine',
  outputs: { Output: Param.string() },
  command: ({ outputs }) => ['sh', '-c', 'printf x > "$0"', outputs.Output],
});
const consume = component({
  name: 'consume',
  image: 'alpine',
  inputs: { text: Param.string() },
  command: ({ inputs }) => ['sh', '-c', 'echo "$0"', inputs.text],
});
const count = component({
  name: 'count',
  image: 'alpine',
  inputs: { n: Param.int() },
  command: ({ inputs }) => ['sh', '-c', 'echo "$0"', inputs.n],
});
const consumeAll = component({
  name: 'consume-all',
  image: 'alpine',
  inputs: { texts: Param.list<string>() },
  command: ({ inputs }) => ['sh', '-c', 'echo "$0"', inputs.texts],
});
const train = component({
  name: 'train',
  image: 'alpine',
  outputs: { model: Model },
  command: ({ outputs }) => ['sh', '-c', 'touch "$0"', outputs.model.path],
});
const summarize = component({
  name: 'summarize',
  image: 'alpine',
  inputs: { data: Dataset },
  command: ({ inputs }) => ['sh', '-c', 'cat "$0"', inputs.data.path],
});
const notify = component({
  name: 'notify',
  image: 'alpine',
  inputs: { text: Param.string({ default: 'done' }), status: Param.taskFinalStatus() },
  command: ({ inputs }) => ['sh', '-c', 'echo "$0: $1"', inputs.text, inputs.status],
});

// biome-ignore lint/suspicious/noExplicitAny: these tests make the mistakes tsc would reject.
const untyped = (value: unknown): any => value;

/** The DslError that compiling `body` as a pipeline's body throws. */
async function compileError(body: () => void): Promise<string> {
  const failure = await compilePipeline(pipeline({ name: 'misuse' }, body)).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(DslError);
  expect((failure as DslError).code).toBe('DSL_INVALID');
  return (failure as DslError).message;
}

/** The DslError that `declare` throws right away. */
function declareError(declare: () => unknown): string {
  try {
    declare();
  } catch (error) {
    expect(error).toBeInstanceOf(DslError);
    return (error as DslError).message;
  }
  throw new Error('expected a DslError');
}

describe('where a task may be created', () => {
  test('a component called outside a pipeline body', () => {
    expect(declareError(() => produce())).toMatchInlineSnapshot(
      `"component 'produce' can only be used inside a pipeline body: call it from the function passed to pipeline()"`,
    );
  });

  test('a pipeline body that returns a task instead of an output', async () => {
    expect(await compileError(() => produce())).toMatchInlineSnapshot(
      `"pipeline 'misuse': the body returned task 'produce', not an output; return nothing (use a block body), its output (\`task.output\`) or named outputs (\`{ model: task.outputs.model }\`)"`,
    );
  });

  test('a pipeline name KFP would refuse', () => {
    expect(declareError(() => pipeline({ name: 'My Pipeline' }, () => {}))).toMatchInlineSnapshot(
      `"pipeline name 'My Pipeline' is not valid: use lowercase letters, digits and '-', starting with a letter or digit (at most 128)"`,
    );
  });
});

describe('task arguments', () => {
  test('a required input left out', async () => {
    expect(
      await compileError(() => {
        untyped(consume)({});
      }),
    ).toMatchInlineSnapshot(`"pipeline 'misuse', task 'consume', input 'text': required input is missing"`);
  });

  test('an input the component does not declare', async () => {
    expect(
      await compileError(() => {
        untyped(consume)({ text: 'hi', txt: 'hi' });
      }),
    ).toMatchInlineSnapshot(
      `"pipeline 'misuse', task 'consume': component 'consume' has no input 'txt' (did you mean 'text'?)"`,
    );
  });

  test('a constant of the wrong type', async () => {
    expect(
      await compileError(() => {
        count({ n: untyped('five') });
      }),
    ).toMatchInlineSnapshot(
      `"pipeline 'misuse', task 'count', input 'n': expects a whole number (safe integer), got "five""`,
    );
  });

  test('a Model output into a Dataset input', async () => {
    expect(
      await compileError(() => {
        summarize({ data: untyped(train().outputs.model) });
      }),
    ).toMatchInlineSnapshot(
      `"pipeline 'misuse', task 'summarize', input 'data': expects system.Dataset but 'train-model' is system.Model"`,
    );
  });

  test('a CPU limit that is not a Kubernetes quantity', async () => {
    expect(
      await compileError(() => {
        produce().setCpuLimit('two');
      }),
    ).toMatchInlineSnapshot(
      `"task 'produce': CPU 'two' is not valid; use cores ('2', '0.5') or millicores ('500m')"`,
    );
  });

  test('a memory limit that is not a Kubernetes quantity', async () => {
    expect(
      await compileError(() => {
        produce().setMemoryLimit('4GB');
      }),
    ).toMatchInlineSnapshot(`"task 'produce': memory '4GB' is not valid; use e.g. '512Mi', '4Gi', '1G'"`);
  });
});

describe('values crossing control flow', () => {
  test('Collected() over a task that is not in a loop', async () => {
    expect(
      await compileError(() => {
        consumeAll({ texts: Collected(produce().output) });
      }),
    ).toMatchInlineSnapshot(
      `"Collected() can only fan in outputs of a task inside a ParallelFor to a consumer outside it; task 'produce' is not in a ParallelFor that excludes task 'consume-all'"`,
    );
  });

  test('a loop-body output read outside the loop without Collected()', async () => {
    expect(
      await compileError(() => {
        const inLoop = ParallelFor(['a', 'b'], () => produce());
        consume({ text: inLoop.output });
      }),
    ).toMatchInlineSnapshot(
      `"task 'consume' reads an output of task 'produce' inside ParallelFor for-loop-2 without being in that loop; wrap the output in Collected() to get every iteration's value"`,
    );
  });

  test('an output of a task inside an If read outside it', async () => {
    expect(
      await compileError(() => {
        const flip = produce();
        let heads!: ReturnType<typeof produce>;
        If(flip.output.eq('heads'), () => {
          heads = produce();
        });
        consume({ text: heads.output });
      }),
    ).toMatchInlineSnapshot(
      `"task 'consume' depends on task 'produce-2' inside an If/Elif/Else branch (condition-1) that does not contain 'consume'; move the consumer into that block, or use OneOf() for branch outputs"`,
    );
  });

  test('.after() a task inside an If, from outside it', async () => {
    expect(
      await compileError(() => {
        const flip = produce();
        let heads!: ReturnType<typeof produce>;
        If(flip.output.eq('heads'), () => {
          heads = produce();
        });
        produce().after(heads);
      }),
    ).toMatchInlineSnapshot(
      `"task 'produce-3' depends on task 'produce-2' inside an If/Elif/Else branch (condition-1) that does not contain 'produce-3'; move the consumer into that block, or use OneOf() for branch outputs"`,
    );
  });

  test('OneOf() over branches without an Else', async () => {
    expect(
      await compileError(() => {
        const flip = produce();
        let heads!: ReturnType<typeof produce>;
        let tails!: ReturnType<typeof produce>;
        If(flip.output.eq('heads'), () => {
          heads = produce();
        }).Elif(flip.output.eq('tails'), () => {
          tails = produce();
        });
        consume({ text: OneOf(heads.output, tails.output) });
      }),
    ).toMatchInlineSnapshot(
      `"OneOf() must include an output from a task in an Else branch, so that one output always exists at run time"`,
    );
  });

  test('an Elif that does not directly follow its If', async () => {
    expect(
      await compileError(() => {
        const flip = produce();
        const chain = If(flip.output.eq('heads'), () => {
          produce();
        });
        If(flip.output.eq('tails'), () => {
          produce();
        });
        chain.Elif(flip.output.eq('edge'), () => {
          produce();
        });
      }),
    ).toMatchInlineSnapshot(`"Elif() must directly follow its If(), with no other control flow in between"`);
  });
});

describe('exit handlers and final status', () => {
  test('an ExitHandler inside another block', async () => {
    expect(
      await compileError(() => {
        ParallelFor(['a', 'b'], () => {
          ExitHandler(notify(), () => {
            produce();
          });
        });
      }),
    ).toMatchInlineSnapshot(
      `"ExitHandler() can only be used at the top level of pipeline 'misuse', not inside for-loop-2"`,
    );
  });

  test('an exit task that reads another task', async () => {
    expect(
      await compileError(() => {
        const first = produce();
        ExitHandler(notify({ text: first.output }), () => {
          produce();
        });
      }),
    ).toMatchInlineSnapshot(
      `"exit task 'notify' cannot depend on other tasks: give it pipeline parameters or constants only"`,
    );
  });

  test('an exit task that runs .after() another task', async () => {
    expect(
      await compileError(() => {
        const first = produce();
        ExitHandler(notify().after(first), () => {
          produce();
        });
      }),
    ).toMatchInlineSnapshot(
      `"exit task 'notify' cannot depend on other tasks: give it pipeline parameters or constants only"`,
    );
  });

  test('a TASK_FINAL_STATUS input on a task that is neither an exit task nor ignores upstream failure', async () => {
    expect(
      await compileError(() => {
        notify();
      }),
    ).toMatchInlineSnapshot(
      `"task 'notify': input 'status' is a TASK_FINAL_STATUS, which only an ExitHandler's exit task or a task with .ignoreUpstreamFailure() receives"`,
    );
  });

  test('a value passed to a TASK_FINAL_STATUS input', async () => {
    expect(
      await compileError(() => {
        notify({ status: untyped('SUCCEEDED') } as never);
      }),
    ).toMatchInlineSnapshot(
      `"pipeline 'misuse', task 'notify', input 'status': a TASK_FINAL_STATUS input is filled by Sluice; do not pass it"`,
    );
  });
});
