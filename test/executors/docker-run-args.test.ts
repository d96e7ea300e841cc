/** `docker run` arguments as data: no docker, no files (existence is a predicate given to the builder). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerLimits } from '../../src/executors/docker/container-limits.ts';
import { checkDockerEngine } from '../../src/executors/docker/docker-engine.ts';
import { containerNameIn } from '../../src/executors/docker/docker-orphans.ts';
import {
  type BindMount,
  containerName,
  coveringMounts,
  type DockerRunOptions,
  dockerRunArgs,
  dockerRunSpec,
} from '../../src/executors/docker/docker-run-args.ts';
import { parseMemoryQuantity as parseMemory } from '../../src/ir/index.ts';
import { makeRequest } from '../contracts/executor.contract.ts';
import { emptyExecutorInput, runtimeArtifact } from '../runtime/executor-inputs.ts';

const root = '/home/ada/.sluice/runs/r1';
const options: DockerRunOptions = { mounts: [], user: '1000:1000', exists: () => true };
const rw = (p: string): BindMount => ({ path: p, readOnly: false });
const ro = (p: string): BindMount => ({ path: p, readOnly: true });

describe('dockerRunArgs', () => {
  it('writes every option as --flag=value, then the image and the program argv verbatim', () => {
    const args = dockerRunArgs({
      name: 'sluice-a1',
      labels: { 'sluice.run': 'r1', 'sluice.attempt': 'a1' },
      mounts: [rw('/data'), ro('/in/x,y "z"')],
      workDir: '/data/work',
      user: '1000:100',
      env: { A: 'one two', B: '-x=$(y)\nz' },
      limits: { cpus: 0.5, memoryBytes: 536870912, gpus: 1 },
      image: 'python:3.12',
      entrypoint: 'python3',
      args: ['-c', 'print(1)', '--rm', '; rm -rf /'],
    });
    expect(args).toEqual([
      'run',
      '--rm',
      '--name=sluice-a1',
      '--label=sluice.run=r1',
      '--label=sluice.attempt=a1',
      '--mount=type=bind,source=/data,target=/data',
      '--mount=type=bind,"source=/in/x,y ""z""","target=/in/x,y ""z""",readonly',
      '--workdir=/data/work',
      '--user=1000:100',
      '--env=A=one two',
      '--env=B=-x=$(y)\nz',
      '--cpus=0.5',
      '--memory=536870912',
      '--gpus=1',
      '--entrypoint=python3',
      'python:3.12',
      '-c',
      'print(1)',
      '--rm',
      '; rm -rf /',
    ]);
  });

  it('leaves out what is not set: user, limits, entrypoint', () => {
    const args = dockerRunArgs({
      name: 'n',
      labels: {},
      mounts: [],
      workDir: '/w',
      user: undefined,
      env: {},
      limits: {},
      image: 'busybox',
      entrypoint: undefined,
      args: [],
    });
    expect(args).toEqual(['run', '--rm', '--name=n', '--workdir=/w', 'busybox']);
  });
});

describe('dockerRunSpec', () => {
  it('resolves placeholders; command[0] becomes the entrypoint; env is the container’s, not the host’s', () => {
    const request = makeRequest(
      root,
      {
        image: ' python:3.12 ',
        command: ['python3', '-m', 'train'],
        args: ['--lr', "{{$.inputs.parameters['lr']}}", '--out', "{{$.outputs.artifacts['model'].path}}"],
        env: [
          { name: 'BASE', value: '/opt' },
          { name: 'DERIVED', value: '$(BASE)/bin:$(HOME)' },
        ],
      },
      { attemptId: 'a/1 x', env: { SLUICE_RUN_ID: 'r1' } },
    );
    request.executorInput.inputs.parameterValues.lr = 0.1;
    request.executorInput.outputs.artifacts.model = {
      artifacts: [runtimeArtifact('model', '/home/ada/.sluice/artifacts/p/r1/train/model')],
    };
    const spec = dockerRunSpec(request, options);
    expect(spec).toMatchObject({
      name: 'sluice-a-1-x',
      labels: { 'sluice.run': 'run-1', 'sluice.attempt': 'a/1 x' },
      image: 'python:3.12',
      entrypoint: 'python3',
      args: ['-m', 'train', '--lr', '0.1', '--out', '/home/ada/.sluice/artifacts/p/r1/train/model'],
      workDir: `${root}/work`,
      user: '1000:1000',
      // $(HOME) is not the engine's home: Kubernetes expands against the container's env only.
      env: { BASE: '/opt', DERIVED: '/opt/bin:$(HOME)', SLUICE_RUN_ID: 'r1' },
    });
  });

  it('passes args alone to the image’s entrypoint when the component has no command', () => {
    const spec = dockerRunSpec(makeRequest(root, { args: ['--epochs', '3'] }), options);
    expect(spec.entrypoint).toBeUndefined();
    expect(spec.args).toEqual(['--epochs', '3']);
  });

  it('refuses a missing or flag-like image, naming the task', () => {
    expect(() => dockerRunSpec(makeRequest(root, { image: '', command: ['x'] }), options)).toThrow(
      "task train has no image: the docker executor runs each task in its component's image",
    );
    expect(() =>
      dockerRunSpec(makeRequest(root, { image: '--privileged', command: ['x'] }), options),
    ).toThrow("an invalid image '--privileged'");
  });

  it('mounts the project, the work dir and outputs read-write, inputs read-only, and no more than needed', () => {
    const request = makeRequest(
      '/project',
      { command: ['true'] },
      { workDir: '/home/ada/.sluice/runs/r/a1' },
    );
    request.executorInput = emptyExecutorInput('/home/ada/.sluice/runs/r/a1/executor_output.json');
    request.executorInput.outputs.parameters.n = { outputFile: '/home/ada/.sluice/runs/r/a1/outputs/n' };
    request.executorInput.outputs.artifacts.model = {
      artifacts: [runtimeArtifact('m', '/home/ada/.sluice/artifacts/p/r/train/a1/model')],
    };
    request.executorInput.inputs.artifacts.data = {
      artifacts: [
        runtimeArtifact('d', '/home/ada/.sluice/artifacts/p/r/prep/a0/data'),
        runtimeArtifact('gone', '/datasets/missing.csv'),
        { ...runtimeArtifact('remote', '/x'), uri: 'gs://bucket/x', path: '' },
      ],
    };
    const exists = (p: string) => p !== '/datasets/missing.csv';
    expect(dockerRunSpec(request, { ...options, exists }).mounts).toEqual([
      ro('/home/ada/.sluice/artifacts/p/r/prep/a0/data'),
      rw('/home/ada/.sluice/artifacts/p/r/train/a1'),
      rw('/home/ada/.sluice/runs/r/a1'),
      rw('/project'),
    ]);
    // A configured artifact root covers every staged and input artifact with one mount.
    const withRoot = { ...options, exists, mounts: ['/home/ada/.sluice/artifacts', '/not/there'] };
    expect(
      dockerRunSpec(request, { ...withRoot, exists: (p) => exists(p) && p !== '/not/there' }).mounts,
    ).toEqual([rw('/home/ada/.sluice/artifacts'), rw('/home/ada/.sluice/runs/r/a1'), rw('/project')]);
  });
});

describe('coveringMounts', () => {
  it('drops what a read-write mount covers, keeps read-write inside read-only, never mounts /', () => {
    expect(
      coveringMounts([ro('/a/b'), rw('/a'), rw('/a-b'), rw('/a'), ro('/c'), rw('/c/d'), rw('/')]),
    ).toEqual([rw('/a'), rw('/a-b'), ro('/c'), rw('/c/d')]);
    expect(coveringMounts([ro('/x'), rw('/x')])).toEqual([rw('/x')]);
    expect(coveringMounts([ro('/x'), ro('/x/y')])).toEqual([ro('/x')]);
  });
});

describe('containerLimits', () => {
  const context = { executorInput: emptyExecutorInput(), runValues: {} };

  it('reads cpu and memory limits (not requests) and NVIDIA accelerators', () => {
    expect(
      containerLimits(
        {
          resourceCpuLimit: '500m',
          resourceCpuRequest: '4',
          resourceMemoryLimit: '1Gi',
          accelerator: { resourceType: 'nvidia.com/gpu', resourceCount: '2' },
        },
        context,
      ),
    ).toEqual({ cpus: 0.5, memoryBytes: 2 ** 30, gpus: 2 });
    expect(containerLimits({ cpuLimit: 2, memoryLimit: 1.5 }, context)).toEqual({
      cpus: 2,
      memoryBytes: 1.5e9,
    });
    expect(containerLimits({ accelerator: { type: 'TPU_V3', count: '8' } }, context)).toEqual({});
  });

  it('resolves a limit set from a pipeline parameter, and ignores one that does not resolve', () => {
    const withCpu = { ...context, executorInput: emptyExecutorInput() };
    withCpu.executorInput.inputs.parameterValues['pipelinechannel--cpu'] = '1.5';
    const resources = {
      resourceCpuLimit: "{{$.inputs.parameters['pipelinechannel--cpu']}}",
      resourceMemoryLimit: "{{$.inputs.parameters['nope']}}",
    };
    expect(containerLimits(resources, withCpu)).toEqual({ cpus: 1.5 });
  });

  it('parses Kubernetes memory quantities', () => {
    expect([parseMemory('4G'), parseMemory('512Mi'), parseMemory('1e9'), parseMemory('lots')]).toEqual([
      4e9,
      512 * 2 ** 20,
      1e9,
      undefined,
    ]);
  });
});

describe('orphan lookup', () => {
  it('finds the container name in a client command line written by dockerRunArgs', () => {
    const spec = dockerRunSpec(
      makeRequest(root, { command: ['sleep', '9'] }, { attemptId: 'f00d' }),
      options,
    );
    expect(containerNameIn(['/usr/bin/docker', ...dockerRunArgs(spec)])).toBe(containerName('f00d'));
    expect(containerNameIn(['node', 'sluice.js', 'execute-function', '--name=sluice-x'])).toBeUndefined();
  });
});

// When this machine has a real docker client but no daemon (as in CI), the client still parses every
// option before it tries to connect: the argv must get that far.
const engine = await checkDockerEngine();
const clientOnly = !engine.ok && engine.reason.startsWith('the Docker daemon does not answer');

describe.skipIf(!clientOnly)('the real docker client', () => {
  it('accepts the arguments (fails only for want of a daemon)', async () => {
    const request = makeRequest(
      '/tmp/a,b "c"',
      { command: ['sh', '-c', 'echo'], resources: { resourceCpuLimit: '1', resourceMemoryLimit: '64Mi' } },
      { env: { A: 'x y' } },
    );
    request.executorInput.inputs.artifacts.d = { artifacts: [runtimeArtifact('d', path.join('/in', 'd'))] };
    const args = dockerRunArgs(dockerRunSpec(request, options));
    const stderr = await new Promise<string>((resolve) => {
      execFile('docker', args, { timeout: 10_000 }, (_error, _stdout, err) => resolve(err));
    });
    expect(stderr).toMatch(/Cannot connect to the Docker daemon|error during connect/);
    expect(stderr).not.toMatch(/unknown flag|invalid argument/);
  });
});
