/**
 * The `sluice` command. Exit codes: 0 success; 1 the work itself failed (invalid files for `validate`);
 * 2 bad input (usage, unreadable files, pipelines that do not compile). Errors print one line (or one line
 * per issue) to stderr, never a stack trace, unless SLUICE_DEBUG is set.
 */
import { Command, CommanderError } from 'commander';
import { isSluiceError } from '../errors.ts';
import { SLUICE_VERSION } from '../version.ts';

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
  for (const command of program.commands) command.exitOverride();
  return program;
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
