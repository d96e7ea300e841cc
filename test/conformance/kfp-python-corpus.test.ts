/**
 * KFP's compiled lightweight Python pipelines (INDEX.tsv kinds P and M), run on the local engine with the
 * built-in KFP runtime (src/runtime/kfp-python: no pip, no kfp, no Docker): each must reach the state KFP
 * reaches. Pipelines that need what a laptop run cannot give (third-party packages, Kubernetes secrets or
 * volumes, GCP, input artifacts) are listed in NOT_RUN with the reason, and counted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/engine/index.ts';
import { pythonCommand } from '../../src/executors/local/process-launcher.ts';
import { readPipelineFile } from '../../src/ir/index.ts';
import { openScenario, type Scenario, states } from '../engine/scenario.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const corpus = resolve(repoRoot, '../shared/kfp-corpus');
if (!existsSync(join(corpus, 'INDEX.tsv'))) throw new Error(`the KFP corpus is missing at ${corpus}`);

const pythonFiles = readFileSync(join(corpus, 'INDEX.tsv'), 'utf8')
  .split('\n')
  .map((line) => line.split('\t'))
  .filter((fields) => fields[1] === 'P' || fields[1] === 'M')
  .map((fields) => fields[0]!);

const PACKAGES = 'packages_to_install not in the standard library';
/** Corpus files that cannot run here, and why. */
const NOT_RUN: Record<string, string> = {
  'valid/critical/notebook_component_simple.yaml': `${PACKAGES} (nbclient, ipykernel, jupyter_client)`,
  'valid/notebook_component_mixed.yaml': `${PACKAGES} (nbclient, ipykernel, jupyter_client)`,
  'valid/critical/pipeline_with_artifact_upload_download.yaml': `${PACKAGES} (datasets) and network access`,
  'valid/critical/pipeline_with_submit_request.yaml': `${PACKAGES} (requests) and a web service`,
  'valid/integration/ray_integration_compiled.yaml': `${PACKAGES} (codeflare-sdk) and a Ray cluster`,
  'valid/pipeline_with_condition_dynamic_task_output_custom_training_job.yaml':
    'a Vertex AI custom training job (google-cloud-pipeline-components image, GCP project)',
  'valid/critical/modelcar.yaml': 'an oci:// model image (KFP modelcar sidecar)',
  'valid/critical/pipeline_with_secret_as_env.yaml': 'a Kubernetes secret (k8s:secretAsEnv)',
  'valid/pipeline_with_secret_as_volume.yaml': 'a Kubernetes secret (k8s:secretAsVolume)',
  'valid/critical/pipeline_with_pod_metadata.yaml': 'pod labels and annotations read through fieldRef env',
  'valid/pipeline_with_volume.yaml': 'a Kubernetes PVC (createpvc/deletepvc images without a command)',
  'valid/critical/pipeline_with_volume_long_name.yaml':
    'a Kubernetes PVC (createpvc image without a command)',
  'valid/pvc_mount.yaml': 'an existing Kubernetes PVC (k8s:pvcMount)',
  'valid/local_execution/local_execution_pipeline_with_k8s_only_methods.yaml': 'a GPU (accelerator limit 1)',
  'valid/component_with_metadata_fields.yaml': 'input artifacts passed to the pipeline itself',
  'valid/input_artifact.yaml': 'an input artifact passed to the pipeline itself',
  'valid/pipeline_with_metadata_fields.yaml': 'an input artifact passed to the pipeline itself',
  'valid/artifacts_simple.yaml':
    "its container step opens the artifact URI as a path (gs:// → /gcs/); Sluice's URIs are file://",
  'valid/log_streaming_compiled.yaml': 'prints in a loop for 60 s (too slow for this suite)',
};

/**
 * Pipelines whose packages_to_install (these modules) run offline: SUCCEEDED where this machine's python3
 * has them, else FAILED with the message that names them and how to install them.
 */
const NEEDS_MODULES: Record<string, string[]> = {
  'valid/essential/component_with_pip_install.yaml': ['yapf'],
  'valid/essential/component_with_pip_index_urls.yaml': ['yapf'],
  'valid/essential/iris_pipeline_compiled.yaml': ['pandas', 'sklearn'],
};

function installed(modules: string[]): boolean {
  const check =
    'import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)';
  return spawnSync(pythonCommand(), ['-c', check, ...modules]).status === 0;
}

/** Values for pipeline parameters without a default (what a user would pass with --param). */
const PARAMETERS: Record<string, Record<string, string>> = {
  'valid/critical/add_numbers.yaml': { a: '1', b: '2' },
  'valid/env-var.yaml': { env_var: 'PATH' }, // the component returns that variable's value
  'valid/essential/concat_message.yaml': { message1: 'hello ', message2: 'world' },
  'valid/essential/dict_input.yaml': { struct: '{"a": 1, "b": [true, "x"]}' },
  'valid/essential/lightweight_python_functions_pipeline.yaml': { message: 'hello' },
  'valid/essential/lightweight_python_functions_with_outputs.yaml': {
    first_message: 'first',
    second_message: 'second',
    first_number: '3',
    second_number: '4',
  },
  'valid/identity.yaml': { value: 'same' },
  'valid/pipeline_with_parallelfor_pipeline_param.yaml': { loop_parameter: '["a", "b"]', prefix: 'p-' },
  'valid/preprocess.yaml': {
    message: 'm',
    input_dict_parameter: '{"A": 1, "B": 2}',
    input_list_parameter: '["a", "b", "c"]',
  },
  'valid/take_nap_compiled.yaml': { naptime_secs: '1' }, // default 900
  'valid/take_nap_pipeline_root_compiled.yaml': { naptime_secs: '1' },
};

/** Runs that end FAILED in KFP too (a step fails on purpose), with the tasks that must still succeed. */
const FAILS: Record<string, Record<string, string>> = {
  'valid/failing/pipeline_with_exit_handler.yaml': { 'print-op': 'SUCCEEDED' },
  'valid/failing/pipeline_with_multiple_exit_handlers.yaml': {},
  'valid/pipeline_as_exit_task.yaml': {},
  'valid/pipeline_with_task_final_status.yaml': { 'exit-op': 'SUCCEEDED' },
  'valid/pipeline_with_task_using_ignore_upstream_failure.yaml': { 'print-op': 'SUCCEEDED' },
};

/** Output parameters of some tasks (by task path; `root` is the pipeline's outputs), JSON types included. */
const OUTPUTS: Record<string, Record<string, Record<string, unknown>>> = {
  'valid/critical/add_numbers.yaml': { 'add-numbers': { Output: 3 }, root: { Output: 3 } },
  'valid/identity.yaml': { identity: { Output: 'same' } },
  'valid/essential/concat_message.yaml': { 'concat-message': { Output: 'hello world' } },
  'valid/essential/component_with_env_variable.yaml': { 'read-env-var': { Output: 'env_var_value' } },
  'valid/essential/lightweight_python_functions_with_outputs.yaml': { 'add-numbers': { Output: 7 } },
  'valid/critical/mixed_parameters.yaml': { 'mantle/core/core-comp': { Output: 1 } },
  'valid/nested_return.yaml': {
    'nested-return': {
      Output: [
        { A_a: '1', B_b: '2' },
        { A_a: '10', B_b: '20' },
      ],
    },
  },
  'valid/preprocess.yaml': {
    root: {
      output_bool_parameter_path: true,
      output_dict_parameter_path: { A: 1, B: 2 },
      output_list_parameter_path: ['a', 'b', 'c'],
      output_parameter_path: 'm',
    },
  },
};

const runnable = pythonFiles.filter((file) => !(file in NOT_RUN));

/** At most this many pipelines at once: two cores in CI, and each run has parallel tasks of its own. */
const CONCURRENT_RUNS = 4;
let slots = CONCURRENT_RUNS;
const waiting: Array<() => void> = [];
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots === 0) await new Promise<void>((resolve) => waiting.push(resolve));
  else slots--;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else slots++;
  }
}

let scenario: Scenario;
beforeAll(async () => {
  scenario = await openScenario();
  PARAMETERS['valid/local_execution/local_execution_pipeline_with_retry.yaml'] = {
    counter_path: join(mkdtempSync(join(tmpdir(), 'sluice-kfp-retry-')), 'counter'),
  };
});
afterAll(async () => {
  await scenario?.close();
});

/** Output parameters by task path. */
async function outputsByTask(summary: RunSummary): Promise<Record<string, unknown>> {
  const tasks = await scenario.store.getTasks(summary.runId);
  return Object.fromEntries(
    tasks.map((task) => [task.path, (task.outputs as { parameters?: unknown } | null)?.parameters]),
  );
}

describe('KFP lightweight Python pipelines run on the built-in KFP runtime', () => {
  it('accounts for every P and M pipeline of the index', () => {
    expect(pythonFiles.length).toBe(89);
    expect(Object.keys(NOT_RUN).filter((file) => !pythonFiles.includes(file))).toEqual([]);
    expect({ runnable: runnable.length, notRun: Object.keys(NOT_RUN).length }).toEqual({
      runnable: 70,
      notRun: 19,
    });
  });

  for (const file of runnable) {
    const missingModules = NEEDS_MODULES[file] !== undefined && !installed(NEEDS_MODULES[file]);
    const expected = file in FAILS || missingModules ? 'FAILED' : 'SUCCEEDED';
    it.concurrent(`${file} ${expected}`, async () => {
      const summary = await inSlot(async () =>
        scenario.run(await readPipelineFile(join(corpus, file)), {
          parameters: PARAMETERS[file] ?? {},
          cache: false,
        }),
      );
      if (missingModules) {
        expect(summary.state).toBe('FAILED');
        expect(summary.error).toMatch(/the component needs .* -m pip install .*--kfp-runtime=pip/);
      } else if (expected === 'SUCCEEDED') {
        expect({ state: summary.state, error: summary.error }).toEqual({
          state: 'SUCCEEDED',
          error: undefined,
        });
      } else {
        expect(summary.state, summary.error).toBe('FAILED');
        expect(states(summary)).toMatchObject(FAILS[file]!);
      }
      if (OUTPUTS[file]) expect(await outputsByTask(summary)).toMatchObject(OUTPUTS[file]);
    }, 120_000);
  }
});
