/**
 * The `sluice` command. Exit codes: 0 success; 1 the work itself failed (invalid files for `validate`);
 * 2 bad input (usage, unreadable files, pipelines that do not compile). Errors print one line (or one line
 * per issue) to stderr, never a stack trace, unless SLUICE_DEBUG is set.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isSluiceError } from '../errors.ts';
import { SLUICE_VERSION } from '../version.ts';
import type { ExecuteFunctionOptions } from './execute-function-command.ts';

export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Run Kubeflow pipelines on one machine; move them to Kubernetes unchanged.')
    .version(SLUICE_VERSION)
    .showHelpAfterError('(run sluice --help for usage)')
    .exitOverride();
  // Each command's module loads when it runs, so `sluice --help` does not pay for YAML, zod or CEL.
  program
    .command('validate')
    .description('check pipeline files (IR YAML/JSON or .ts pipeline modules) and print every issue')
    .argument('<files...>', 'pipeline files')
    .option('--json', 'print one JSON array of {file, valid, issues} instead of text')
    .action(async (files: string[], options: { json?: boolean }) => {
      const { validateCommand } = await import('./validate-command.ts');
      process.exitCode = await validateCommand(files, options);
    });
  program
    .command('compile')
    .description(
      'compile a TypeScript pipeline module to KFP IR (YAML, or JSON with --json or a .json output)',
    )
    .argument('<module>', 'the .ts/.js file defining the pipeline')
    .option('-o, --output <file>', 'write here instead of standard output')
    .option('--export <name>', 'the export holding the pipeline (default: the default export)')
    .option('--json', 'write JSON instead of YAML')
    .action(async (module: string, options: { output?: string; export?: string; json?: boolean }) => {
      const { compileCommand } = await import('./compile-command.ts');
      process.exitCode = await compileCommand(module, options);
    });
  program
    .command('run')
    .description('run a pipeline (.ts module or KFP IR YAML/JSON) on this machine until it ends')
    .argument('<file>', 'the pipeline file')
    .option('-p, --param <name=value>', 'a pipeline parameter (repeatable)', collect, [])
    .option('--parallelism <n>', 'most task processes at once (default: the number of CPUs)', positiveInteger)
    .option('--no-cache', 'run every task even when a cached result exists')
    .option('--export <name>', 'for a .ts module: the export holding the pipeline')
    .option('--name <name>', 'a display name for the run')
    .option('--json', 'print the run summary as one JSON line at the end of stdout')
    .addOption(
      new Option(
        '--executor <kind>',
        "'local' runs commands on this machine; 'docker' runs each task's image",
      )
        .choices(['local', 'docker'])
        .default('local'),
    )
    .addOption(
      new Option(
        '--kfp-runtime <kind>',
        "KFP Python components: 'builtin' runs them with Sluice's runtime (no pip, no kfp); 'pip' runs their own command",
      )
        .choices(['builtin', 'pip'])
        .default('builtin'),
    )
    .action(async (file: string, options: import('./run-command.ts').RunCommandOptions) => {
      const { runCommand } = await import('./run-command.ts');
      process.exitCode = await runCommand(file, options);
    });
  program
    .command('resume')
    .description('continue a run whose engine stopped (a crash, a kill); finished tasks are not run again')
    .argument('<run-id>', 'the run id (or a unique prefix)')
    .option('--json', 'print the run summary as one JSON line at the end of stdout')
    .action(async (runId: string, options: { json?: boolean }) => {
      const { resumeCommand } = await import('./run-command.ts');
      process.exitCode = await resumeCommand(runId, options);
    });
  program
    .command('cancel')
    .description('cancel a run: its running tasks are stopped and it ends CANCELED')
    .argument('<run-id>', 'the run id (or a unique prefix)')
    .action(async (runId: string) => {
      const { cancelCommand } = await import('./inspect-commands.ts');
      process.exitCode = await cancelCommand(runId);
    });
  program
    .command('runs')
    .description('list runs, newest first')
    .option('--state <state>', 'only runs in this state')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean; state?: string; pipeline?: string; limit?: number }) => {
      const { runsCommand } = await import('./inspect-commands.ts');
      process.exitCode = await runsCommand(options);
    });
  program
    .command('show')
    .description('show a run: tasks, parameters, outputs, metrics, failures with their last log lines')
    .argument('<run-id>', 'the run id (or a unique prefix)')
    .option('--json', 'print the run summary as JSON')
    .action(async (runId: string, options: { json?: boolean }) => {
      const { showCommand } = await import('./inspect-commands.ts');
      process.exitCode = await showCommand(runId, options);
    });
  program
    .command('retry')
    .description(
      're-run what failed in a FAILED or CANCELED run and what depends on it; reuse what succeeded',
    )
    .argument('<run-id>', 'the run id (or a unique prefix)')
    .option('--json', 'print the run report as one JSON line at the end of stdout')
    .action(async (runId: string, options: { json?: boolean }) => {
      const { retryCommand } = await import('./retry-command.ts');
      process.exitCode = await retryCommand(runId, options);
    });
  program
    .command('logs')
    .description("print what a run's tasks wrote to stdout/stderr (one task, or all of them prefixed)")
    .argument('<run-id>', 'the run id (or a unique prefix)')
    .argument('[task]', 'a task path (or its last part, e.g. train)')
    .option('-f, --follow', 'keep printing new output until the run ends')
    .option('--json', 'one JSON object per line: {task, attempt, line}')
    .action(
      async (runId: string, task: string | undefined, options: { follow?: boolean; json?: boolean }) => {
        const { logsCommand } = await import('./logs-command.ts');
        process.exitCode = await logsCommand(runId, task, options);
      },
    );
  program
    .command('why')
    .description('why a task ran instead of reusing a cached result (which part of its key changed)')
    .argument('<run-id>', 'the run id (or a unique prefix)')
    .argument('<task>', 'a task path (or its last part)')
    .option('--json', 'print one JSON object')
    .action(async (runId: string, task: string, options: { json?: boolean }) => {
      const { whyCommand } = await import('./why-command.ts');
      process.exitCode = await whyCommand(runId, task, options);
    });
  program
    .command('lineage')
    .description('what produced an artifact (data, parameters, code, runs) and what used it')
    .argument('<subject>', 'an artifact URI, or RUN_ID/TASK for the outputs of a task')
    .option('--json', 'print one JSON object')
    .action(async (subject: string, options: { json?: boolean }) => {
      const { lineageCommand } = await import('./lineage-command.ts');
      process.exitCode = await lineageCommand(subject, options);
    });
  program
    .command('server')
    .description(
      'serve the REST API (KFP v2beta1-style) over the store; finishes runs a crash left unfinished',
    )
    .option('--host <host>', 'address to listen on (set SLUICE_TOKEN before exposing it)', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', portNumber, 8888)
    .action(async (options: { host: string; port: number }) => {
      const { serverCommand } = await import('./server-command.ts');
      process.exitCode = await serverCommand(options);
    });
  program
    .command('ui')
    .description(
      'start the server and open the web UI in the browser (runs, live DAGs, logs, compare, lineage)',
    )
    .option('--host <host>', 'address to listen on (set SLUICE_TOKEN before exposing it)', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', portNumber, 8888)
    .option('--no-open', 'print the address instead of opening a browser')
    .action(async (options: { host: string; port: number; open: boolean }) => {
      const { serverCommand } = await import('./server-command.ts');
      process.exitCode = await serverCommand({ ...options, openBrowser: options.open });
    });
  addScheduleCommands(program);
  program
    .command('execute-function', { hidden: true })
    .description('run one TypeScript function component task (what the IR command runs; not for direct use)')
    .requiredOption('--executor-input <json>', "KFP's ExecutorInput JSON")
    .requiredOption('--module <path>', 'the module defining the component, relative to the project root')
    .requiredOption('--export <name>', 'the export holding the component')
    .option('--code-digest <digest>', 'sha256 of the module at compile time (a mismatch is a warning)')
    .option('--project-root <dir>', 'the directory --module is relative to (default: the current directory)')
    .action(async (options: ExecuteFunctionOptions) => {
      const { executeFunctionCommand } = await import('./execute-function-command.ts');
      process.exitCode = await executeFunctionCommand(options);
    });
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** `sluice schedule …` and `sluice trigger …` (recurring runs and triggers; see schedule-commands.ts). */
function addScheduleCommands(program: Command): void {
  type Commands = typeof import('./schedule-commands.ts');
  const load = (): Promise<Commands> => import('./schedule-commands.ts');
  // No default: on `edit`, leaving --param out keeps the schedule's parameters.
  const params = (value: string, previous?: string[]) => [...(previous ?? []), value];
  const catchUp = new Option(
    '--catch-up <policy>',
    "after downtime: 'skip' no missed runs, 'latest' one, 'all' every missed slot in order",
  ).choices(['skip', 'latest', 'all']);
  const timing = (command: Command) =>
    command
      .option('--cron <expr>', "cron pattern: 5 fields, or 6 with seconds first (e.g. '0 2 * * 1')")
      .option('--every <duration>', 'instead of --cron: an interval such as 30s, 15m, 6h, 1d')
      .option('--tz <zone>', 'IANA time zone of --cron (default UTC)')
      .option('--start-at <time>', 'with --every: the first fire time (ISO-8601; default now)')
      .option('-p, --param <name=value>', 'a pipeline parameter (repeatable)', params)
      .option('--max-concurrency <n>', 'most runs of this schedule at once (default 1)', positiveInteger)
      .addOption(catchUp)
      .option('--latest', "run the pipeline's newest version at each fire time instead of this one")
      .option('--export <name>', 'for a .ts module: the export holding the pipeline');
  const schedule = program
    .command('schedule')
    .description('recurring runs: cron or interval, catch-up after downtime, max concurrency');
  timing(
    schedule
      .command('create')
      .description('create a recurring run of a pipeline file (runs start while `sluice server` runs)')
      .argument('<file>', 'the pipeline file (.ts module or KFP IR YAML/JSON)')
      .requiredOption('--name <name>', 'the schedule name')
      .option('--paused', 'create it paused'),
  ).action(async (file: string, options: import('./schedule-commands.ts').ScheduleOptions) => {
    process.exitCode = await (await load()).scheduleCreateCommand(file, options);
  });
  timing(
    schedule
      .command('edit')
      .description('change a schedule in place (runs already started are not touched)')
      .argument('<name>', 'the schedule name')
      .option('--file <file>', 'switch to this pipeline file')
      .option('--rename <name>', 'a new name'),
  ).action(async (name: string, options: import('./schedule-commands.ts').ScheduleOptions) => {
    process.exitCode = await (await load()).scheduleEditCommand(name, options);
  });
  schedule
    .command('list')
    .description('schedules with their next fire times')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      process.exitCode = await (await load()).scheduleListCommand(options);
    });
  for (const [verb, enabled] of [
    ['pause', false],
    ['resume', true],
  ] as const)
    schedule
      .command(verb)
      .description(
        enabled ? 'resume a paused schedule (slots missed while paused do not run)' : 'pause a schedule',
      )
      .argument('<name>', 'the schedule name')
      .action(async (name: string) => {
        process.exitCode = await (await load()).scheduleSetEnabledCommand(name, enabled);
      });
  schedule
    .command('delete')
    .description('delete a schedule (its runs stay)')
    .argument('<name>', 'the schedule name')
    .action(async (name: string) => {
      process.exitCode = await (await load()).scheduleDeleteCommand(name);
    });
  schedule
    .command('history')
    .description("a schedule's fire times and the runs they started, newest first")
    .argument('<name>', 'the schedule name')
    .option('--json', 'print a JSON array')
    .action(async (name: string, options: { json?: boolean }) => {
      process.exitCode = await (await load()).scheduleHistoryCommand(name, options);
    });

  const trigger = program
    .command('trigger')
    .description('start runs on events: new files in a directory, or webhook calls');
  trigger
    .command('create')
    .description(
      'create a watch (--watch DIR --param-name P) or webhook (--webhook) trigger for a pipeline file',
    )
    .argument('<file>', 'the pipeline file')
    .requiredOption('--name <name>', 'the trigger name')
    .option('--watch <dir>', "a directory: each new or changed file starts a run with the file's path")
    .option('--param-name <name>', 'with --watch: the pipeline parameter that gets the file path')
    .option('--webhook', 'a webhook: prints its secret once')
    .option('-p, --param <name=value>', 'a pipeline parameter (repeatable)', params)
    .option('--latest', "run the pipeline's newest version instead of this one")
    .option('--export <name>', 'for a .ts module: the export holding the pipeline')
    .action(async (file: string, options: import('./schedule-commands.ts').TriggerOptions) => {
      process.exitCode = await (await load()).triggerCreateCommand(file, options);
    });
  trigger
    .command('list')
    .description('triggers')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      process.exitCode = await (await load()).triggerListCommand(options);
    });
  for (const [verb, enabled] of [
    ['pause', false],
    ['resume', true],
  ] as const)
    trigger
      .command(verb)
      .description(
        enabled
          ? 'resume a paused trigger (a watch trigger fires for the files that arrived meanwhile)'
          : 'pause a trigger (runs already started go on)',
      )
      .argument('<name>', 'the trigger name')
      .action(async (name: string) => {
        process.exitCode = await (await load()).triggerSetEnabledCommand(name, enabled);
      });
  trigger
    .command('delete')
    .description('delete a trigger (its runs stay)')
    .argument('<name>', 'the trigger name')
    .action(async (name: string) => {
      process.exitCode = await (await load()).triggerDeleteCommand(name);
    });
  trigger
    .command('history')
    .description("a trigger's events and the runs they started, newest first")
    .argument('<name>', 'the trigger name')
    .option('--json', 'print a JSON array')
    .action(async (name: string, options: { json?: boolean }) => {
      process.exitCode = await (await load()).triggerHistoryCommand(name, options);
    });
  for (const command of [...schedule.commands, ...trigger.commands]) command.exitOverride();
  schedule.exitOverride();
  trigger.exitOverride();
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function portNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new InvalidArgumentError(`'${value}' is not a port number (0-65535)`);
  }
  return number;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new InvalidArgumentError(`'${value}' is not a whole number >= 1`);
  }
  return number;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      const done =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return done ? 0 : EXIT_BAD_INPUT;
    }
    if (isSluiceError(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      if (process.env.SLUICE_DEBUG) process.stderr.write(`${error.stack}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write(
      `${error instanceof Error ? error.stack : ''}\nplease report this with the command you ran\n`,
    );
    return 70;
  }
}
