/**
 * Recognising KFP lightweight Python components and choosing how the local executor runs them: every
 * shape in KFP's corpus, the requirements in its pip install lines, builtin vs pip.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionRequest } from '../../src/executors/index.ts';
import { attemptArgv } from '../../src/executors/local/attempt-command.ts';
import { pythonCommand } from '../../src/executors/local/process-launcher.ts';
import type { ContainerSpec } from '../../src/ir/index.ts';
import {
  KFP_PYTHON_LAUNCHER,
  parseKfpPythonCommand,
  pipInstallRequirements,
} from '../../src/runtime/index.ts';
import { corpusFiles, readCorpusPipeline } from '../ir/corpus.ts';

interface Container {
  command?: string[];
  args?: string[];
}

/** Every container of the valid corpus that runs kfp.dsl.executor_main, with its file and executor name. */
function kfpPythonContainers(): Array<{ where: string; container: Container }> {
  return corpusFiles('valid').flatMap((file) => {
    let executors: Record<string, unknown> = {};
    try {
      executors = readCorpusPipeline(file).pipelineSpec.deploymentSpec?.executors ?? {};
    } catch {
      return []; // files the loader refuses are the IR tests' business
    }
    return Object.entries(executors).flatMap(([name, executor]) => {
      const container = (executor as { container?: Container }).container;
      const text = [...(container?.command ?? []), ...(container?.args ?? [])].join(' ');
      return container && text.includes('kfp.dsl.executor_main')
        ? [{ where: `${file} ${name}`, container }]
        : [];
    });
  });
}

const PIP_SCRIPT = `
if ! [ -x "$(command -v pip)" ]; then
    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip
fi

PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location --index-url https://pypi.org/simple --trusted-host https://pypi.org/simple 'yapf' 'pandas==2.2.0'  &&  python3 -m pip install --quiet --no-warn-script-location 'kfp==2.14.6' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<"3.9"' && "$0" "$@"
`;

const PROGRAM =
  'program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n';

const SOURCE = 'import kfp\nfrom kfp import dsl\n\ndef hello(name: str) -> str:\n    return name\n';

const container: ContainerSpec = {
  image: 'python:3.11',
  command: ['sh', '-c', PIP_SCRIPT, 'sh', '-ec', PROGRAM, SOURCE],
  args: ['--executor_input', '{{$}}', '--function_to_execute', 'hello'],
};

function request(spec: ContainerSpec): ExecutionRequest {
  const executorInput = {
    inputs: { parameterValues: { name: 'x' }, artifacts: {} },
    outputs: { parameters: {}, artifacts: {}, outputFile: '/tmp/out/executor_output.json' },
  };
  return {
    container: spec,
    executorInput,
    runValues: {},
    taskPath: 'hello',
    projectRoot: '/tmp',
  } as unknown as ExecutionRequest;
}

describe('KFP lightweight Python component commands', () => {
  const found = kfpPythonContainers();

  it('finds the lightweight components of the corpus', () => {
    expect(found.length).toBeGreaterThan(200);
  });

  it('recognises every corpus shape that embeds a source, and takes its function and arguments', () => {
    const unparsed: string[] = [];
    for (const { where, container } of found) {
      const argv = [...(container.command ?? []), ...(container.args ?? [])];
      const parsed = parseKfpPythonCommand(argv);
      if (!parsed) {
        unparsed.push(where);
        continue;
      }
      const name = parsed.executorArgs[parsed.executorArgs.indexOf('--function_to_execute') + 1];
      expect(parsed.source, where).toContain(`def ${name}(`);
      expect(parsed.executorArgs.slice(0, 2), where).toEqual(['--executor_input', '{{$}}']);
      expect(parsed.requirements[0] ?? '', where).toMatch(/^kfp==|^nbclient|^'?[\w-]/);
    }
    // The one left is a containerized Python component (`python3 -m kfp.dsl.executor_main`, kfp in its
    // image, no embedded source): it runs as written.
    expect(unparsed).toEqual(['valid/containerized_python_component.yaml exec-concat-message']);
  });

  it('reads requirements from every pip install line, skipping options and their values', () => {
    expect(pipInstallRequirements(PIP_SCRIPT)).toEqual([
      'yapf',
      'pandas==2.2.0',
      'kfp==2.14.6',
      'typing-extensions>=3.7.4,<5; python_version<"3.9"',
    ]);
    expect(
      pipInstallRequirements(`pip install "a[x]>=1" b\\\n  c && pip3 install -r req.txt d; pip install e`),
    ).toEqual(['a[x]>=1', 'b', 'c', 'd', 'e']);
  });

  it('runs the embedded source through the stand-in by default, with the requirements and resolved arguments', () => {
    const argv = attemptArgv(request(container));
    expect(argv.slice(0, 3)).toEqual([pythonCommand(), '-u', KFP_PYTHON_LAUNCHER]);
    expect(argv.slice(3, 5)).toEqual(['--component_source', SOURCE]);
    expect(argv).toContain('pandas==2.2.0');
    const input = argv[argv.indexOf('--executor_input') + 1]!;
    expect(JSON.parse(input).inputs.parameterValues).toEqual({ name: 'x' });
    expect(argv.slice(-2)).toEqual(['--function_to_execute', 'hello']);
  });

  it("runs the component's own command (pip install kfp) with kfpRuntime 'pip'", () => {
    const argv = attemptArgv(request(container), 'pip');
    expect(argv[0]).toBe('sh');
    expect(argv[2]).toBe(PIP_SCRIPT);
    expect(argv).not.toContain(KFP_PYTHON_LAUNCHER);
  });

  it('leaves other commands alone', () => {
    const argv = attemptArgv(
      request({ image: 'alpine', command: ['echo', 'python3 -m kfp.dsl.executor_main'] }),
    );
    expect(argv).toEqual(['echo', 'python3 -m kfp.dsl.executor_main']);
  });
});
