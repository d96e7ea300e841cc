/**
 * The KFP corpus (`../shared/kfp-corpus`, pipelines compiled by the KFP SDK 2.15) against the IR layer:
 * every valid file loads, validates clean, round-trips through dumpPipeline and matches KFP's .proto files;
 * every invalid file is rejected with a readable message. Where python3 with PyYAML is installed, KFP's own
 * YAML loader also reads back every dump.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  dumpPipeline,
  type PipelineDocument,
  parsePipeline,
  reindentKfpYaml,
  validatePipeline,
  validatePipelineText,
} from '../../src/ir/index.ts';
import { ProtoOracle } from './proto-oracle.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusRoot = path.resolve(repoRoot, '../shared/kfp-corpus');
const specDir = path.resolve(repoRoot, '../shared/kfp-spec');
for (const [what, dir] of [
  ['KFP corpus', corpusRoot],
  ['KFP proto files', specDir],
] as const) {
  if (!existsSync(dir)) {
    throw new Error(
      `${what} not found at ${dir}; the conformance tests need ../shared beside the repository`,
    );
  }
}

function yamlFiles(folder: string): string[] {
  return readdirSync(path.join(corpusRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => path.join(folder, name))
    .sort();
}

const validFiles = [...yamlFiles('valid'), ...yamlFiles('argo_compatibility')];
const read = (file: string) => readFileSync(path.join(corpusRoot, file), 'utf8');
const loaded = new Map<string, PipelineDocument>();
const load = (file: string): PipelineDocument => {
  if (!loaded.has(file)) loaded.set(file, parsePipeline(read(file), file));
  return loaded.get(file)!;
};

const oracle = new ProtoOracle(specDir, ['pipeline_spec.proto', 'kubernetes_executor_config.proto']);

it('finds the corpus (a sample of KFP test_data/sdk_compiled_pipelines)', () => {
  expect(validFiles.length).toBeGreaterThan(100);
});

describe.each(validFiles)('%s', (file) => {
  it('loads and validates with no issues', () => {
    expect(validatePipeline(load(file))).toEqual([]);
  });

  it('round-trips through dumpPipeline, and dumping is stable', () => {
    const document = load(file);
    const dumped = dumpPipeline(document);
    const reloaded = parsePipeline(dumped);
    expect(reloaded).toEqual(document);
    expect(dumpPipeline(reloaded)).toBe(dumped);
  });

  it("matches KFP's pipeline_spec.proto and kubernetes_executor_config.proto", () => {
    const { pipelineSpec, platformSpec } = load(file);
    const problems = [
      ...oracle.check(pipelineSpec, 'ml_pipelines.PipelineSpec'),
      // deploymentSpec is a Struct in the proto; KFP's backend reads it as PipelineDeploymentConfig.
      ...oracle.check(pipelineSpec.deploymentSpec ?? {}, 'ml_pipelines.PipelineDeploymentConfig'),
    ];
    if (platformSpec !== undefined) {
      problems.push(...oracle.check(platformSpec, 'ml_pipelines.PlatformSpec'));
      const executors = platformSpec.platforms?.kubernetes?.deploymentSpec?.executors ?? {};
      for (const [label, config] of Object.entries(executors)) {
        const found = oracle.check(config, 'kfp_kubernetes.KubernetesExecutorConfig');
        problems.push(...found.map((problem) => `${label}.${problem}`));
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the proto oracle', () => {
  it('reports unknown fields, wrong types and oneof conflicts that protobufjs alone would drop', () => {
    const spec = structuredClone(load('valid/hello_world.yaml').pipelineSpec) as Record<string, unknown>;
    Object.assign(spec, { schemaVersion: 2, pipelineInfo: { name: 'x', nmae: 'y' } });
    (spec.root as Record<string, unknown>).executorLabel = 'exec-x';
    expect(oracle.check(spec, 'ml_pipelines.PipelineSpec')).toEqual([
      'pipelineInfo.nmae: unknown field of ml_pipelines.PipelineInfo',
      'root: oneof implementation has dag and executorLabel',
      'schemaVersion: expected string, got 2',
    ]);
  });
});

describe('the KFP re-indent pass over the whole corpus', () => {
  it('changes exactly the files PyYAML wrote with under-indented continuation lines', () => {
    const all = readdirSync(corpusRoot, { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.yaml'),
    );
    const changed = all.filter((file) => reindentKfpYaml(read(file)) !== read(file)).sort();
    // The third file upstream, placeholder_with_if_placeholder_none_input_value.yaml, is not in this sample.
    expect(changed).toEqual([
      'valid/critical/pipeline_with_secret_as_env.yaml',
      'valid/pipeline_with_secret_as_volume.yaml',
    ]);
  });
});

describe('invalid corpus files', () => {
  const rejection = (file: string): string => {
    try {
      parsePipeline(read(file), file);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(validatePipelineText(read(file)).length).toBeGreaterThan(0);
      return `${(error as { code?: string }).code}: ${message}`;
    }
    throw new Error(`${file} was accepted`);
  };

  it('empty_file.yaml: a header comment and nothing else', () => {
    expect(rejection('invalid/empty_file.yaml')).toMatchInlineSnapshot(
      `"IR_INVALID: invalid/empty_file.yaml: the file holds no YAML document (it is empty or only comments); expected a PipelineSpec"`,
    );
  });

  it('invalid_yaml.yaml: components misspelt', () => {
    expect(rejection('invalid/invalid_yaml.yaml')).toMatchInlineSnapshot(`
      "IR_INVALID: invalid/invalid_yaml.yaml is not a valid pipeline (1 issue):
      components_1: unknown field in PipelineSpec (did you mean 'components'?)"
    `);
  });

  it('no_name.yaml: pipelineInfo.name left empty', () => {
    expect(rejection('invalid/no_name.yaml')).toMatchInlineSnapshot(`
      "IR_INVALID: invalid/no_name.yaml is not a valid pipeline (1 issue):
      pipelineInfo.name: missing; KFP requires a pipeline name (runs and their metadata are grouped by it)"
    `);
  });

  it('covers every file in invalid/', () => {
    expect(yamlFiles('invalid')).toEqual([
      'invalid/empty_file.yaml',
      'invalid/invalid_yaml.yaml',
      'invalid/no_name.yaml',
    ]);
  });
});

const pyyaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;

describe('KFP SDK loader (PyYAML safe_load_all)', () => {
  it.skipIf(!pyyaml)(
    'reads every dump as the same data as the original file (needs python3 with PyYAML)',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sluice-dumps-'));
      try {
        const pairs = validFiles.map((file, i) => {
          const dumpPath = path.join(dir, `${i}.yaml`);
          writeFileSync(dumpPath, dumpPipeline(load(file)));
          return [path.join(corpusRoot, file), dumpPath];
        });
        writeFileSync(path.join(dir, 'pairs.json'), JSON.stringify(pairs));
        // One interpreter for all files; prints the originals whose dump PyYAML reads differently.
        const script = [
          'import json, sys, yaml',
          'pairs = json.load(open(sys.argv[1]))',
          'load = lambda p: list(yaml.safe_load_all(open(p, encoding="utf-8")))',
          'print(json.dumps([o for o, d in pairs if load(o) != load(d)]))',
        ].join('\n');
        const output = execFileSync('python3', ['-c', script, path.join(dir, 'pairs.json')], {
          encoding: 'utf8',
        });
        expect(JSON.parse(output)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
