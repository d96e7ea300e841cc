import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  checkSemantics,
  checkStructure,
  decodePipeline,
  formatIssues,
  type Issue,
  type KubernetesExecutorConfig,
  KubernetesExecutorConfigSchema,
  type PipelineDocument,
  type PipelineSpec,
  parsePipeline,
  TaskInputParameterSchema,
  validatePipeline,
} from '../../src/ir/index.ts';
import { kubernetesParameterSources } from '../../src/ir/kubernetes-rules.ts';
import { childSchema, messageFields, unwrapSchema } from '../../src/ir/schema-shape.ts';
import { corpusFiles, readCorpusPipeline } from './corpus.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ir/${name}`, import.meta.url), 'utf8');
const twoStep = parsePipeline(fixture('two-step.yaml'));
const semanticsBase = parse(fixture('semantics-base.yaml')) as PipelineSpec;

// biome-ignore lint/suspicious/noExplicitAny: the tests break documents in ways the types forbid
type Loose = any;

/** One `CODE path: message` line per issue. */
const lines = (issues: Issue[]) =>
  issues.map((issue) => `${issue.code} ${issue.path}: ${issue.message}`).join('\n');

/** The two-step fixture with its `exec-train` kubernetes config edited, structurally checked. */
function structureAfter(edit: (config: Loose, executors: Loose) => void): string {
  const document = structuredClone(twoStep) as Loose;
  const executors = document.platformSpec.platforms.kubernetes.deploymentSpec.executors;
  edit(executors['exec-train'], executors);
  return lines(checkStructure(document as PipelineDocument));
}

/** The semantics fixture (after `edit`) with these kubernetes executor configs, semantically checked. */
function semanticsWith(
  executors: Record<string, KubernetesExecutorConfig>,
  edit: (spec: Loose) => void = () => {},
): string {
  const pipelineSpec = structuredClone(semanticsBase);
  edit(pipelineSpec);
  const platformSpec = { platforms: { kubernetes: { deploymentSpec: { executors } } } };
  return lines(checkSemantics({ pipelineSpec, platformSpec }));
}

const fromInput = (componentInputParameter: string) => ({ componentInputParameter });

describe('kubernetes executor configs: structure', () => {
  it('suggests the field a typo was meant to be, at any depth', () => {
    const found = structureAfter((config) => {
      config.secretAsEnvs = config.secretAsEnv;
      config.secretAsEnv[0].keyToEnv[0].envvar = 'TOKEN_2';
      config.tolerations = [{ key: 'gpu', efect: 'NoSchedule' }];
    });
    expect(found).toMatchInlineSnapshot(`
      "UNKNOWN_FIELD platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnv[0].keyToEnv[0].envvar: unknown field in SecretAsEnv.SecretKeyToEnvMap (did you mean 'envVar'?)
      UNKNOWN_FIELD platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnvs: unknown field in KubernetesExecutorConfig (did you mean 'secretAsEnv'?)
      UNKNOWN_FIELD platforms.kubernetes.deploymentSpec.executors.exec-train.tolerations[0].efect: unknown field in Toleration (did you mean 'effect'?)"
    `);
  });

  it('lists the fields of the message when nothing is close, as for a field the proto removed', () => {
    expect(structureAfter((config) => (config.securityContext = { privileged: true }))).toMatchInlineSnapshot(
      `"UNKNOWN_FIELD platforms.kubernetes.deploymentSpec.executors.exec-train.securityContext.privileged: unknown field in SecurityContext; its fields are runAsUser, runAsGroup, runAsNonRoot"`,
    );
  });

  it('says which JSON type was expected and which was found', () => {
    const found = structureAfter((config) => {
      config.secretAsEnv[0].optional = 'no';
      config.secretAsEnv[0].keyToEnv = { envVar: 'TOKEN', secretKey: 'token' };
      config.activeDeadlineSeconds = '1h';
      config.nodeSelector = 'gpu';
      config.podMetadata = { labels: { tier: 2 } };
      config.nodeAffinity = [{ weight: 0.5 }];
    });
    expect(found).toMatchInlineSnapshot(`
      "INVALID_VALUE platforms.kubernetes.deploymentSpec.executors.exec-train.activeDeadlineSeconds: expected an integer, got the string "1h"
      INVALID_VALUE platforms.kubernetes.deploymentSpec.executors.exec-train.nodeAffinity[0].weight: expected an integer, got the number 0.5
      INVALID_VALUE platforms.kubernetes.deploymentSpec.executors.exec-train.nodeSelector: expected a NodeSelector mapping (with labels, nodeSelectorJson), got the string "gpu"
      INVALID_VALUE platforms.kubernetes.deploymentSpec.executors.exec-train.podMetadata.labels.tier: expected a string, got the number 2; quote the value in YAML to keep it text
      INVALID_VALUE platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnv[0].keyToEnv: expected a list, got a mapping
      INVALID_VALUE platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnv[0].optional: expected true or false, got the string "no""
    `);
  });

  it('checks the oneofs of the InputParameterSpecs and of PvcMount', () => {
    const found = structureAfter((config) => {
      config.secretAsEnv[0].secretNameParameter = {};
      config.imagePullSecret = [
        { secretNameParameter: { componentInputParameter: 'pull', runtimeValue: { constant: 'x' } } },
      ];
      config.nodeSelector = { nodeSelectorJson: { taskOutputParameter: { producerTask: 'make-data' } } };
      config.pvcMount = [{ mountPath: '/data', constant: 'my-pvc', componentInputParameter: 'pvc_name' }];
    });
    expect(found).toMatchInlineSnapshot(`
      "ONEOF_CONFLICT platforms.kubernetes.deploymentSpec.executors.exec-train.imagePullSecret[0].secretNameParameter: sets both 'componentInputParameter' and 'runtimeValue'; set exactly one of 'componentInputParameter', 'taskOutputParameter', 'runtimeValue' or 'taskFinalStatus' (an input parameter takes its value from one source)
      MISSING_FIELD platforms.kubernetes.deploymentSpec.executors.exec-train.nodeSelector.nodeSelectorJson.taskOutputParameter.outputParameterKey: missing; name the upstream task's output parameter
      ONEOF_CONFLICT platforms.kubernetes.deploymentSpec.executors.exec-train.pvcMount[0]: sets both 'constant' and 'componentInputParameter'; set at most one of them (a PVC is named one way)
      ONEOF_CONFLICT platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnv[0].secretNameParameter: needs one of 'componentInputParameter', 'taskOutputParameter', 'runtimeValue' or 'taskFinalStatus' (an input parameter takes its value from one source)"
    `);
  });

  it('accepts every message, deprecated fields and int64 written as a number or a string', () => {
    const config = {
      secretAsVolume: [{ secretName: 'old', mountPath: '/s', optional: true }],
      secretAsEnv: [{ secretName: 'old', keyToEnv: [{ secretKey: 'k', envVar: 'K' }] }],
      configMapAsVolume: [{ configMapName: 'cm', mountPath: '/c' }],
      configMapAsEnv: [{ configMapNameParameter: { runtimeValue: { constant: 'cm' } }, keyToEnv: [] }],
      pvcMount: [
        { taskOutputParameter: { producerTask: 'make-data', outputParameterKey: 'x' }, mountPath: '/p' },
      ],
      imagePullSecret: [{ secretName: 'pull' }],
      imagePullPolicy: 'IfNotPresent',
      activeDeadlineSeconds: '3600',
      fieldPathAsEnv: [{ name: 'POD', fieldPath: 'metadata.name' }],
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
      nodeSelector: { labels: { pool: 'gpu' } },
      nodeAffinity: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], weight: 5 }],
      podAffinity: [{ matchPodLabels: { app: 'x' }, topologyKey: 'kubernetes.io/hostname', anti: true }],
      podMetadata: { labels: { team: 'ml' }, annotations: { note: 'x' } },
      genericEphemeralVolume: [{ volumeName: 'scratch', mountPath: '/tmp', size: '1Gi', metadata: {} }],
      emptyDirMounts: [{ volumeName: 'cache', mountPath: '/cache', medium: 'Memory', sizeLimit: '1Gi' }],
      enabledSharedMemory: { volumeName: 'shm', size: '2Gi' },
      securityContext: { runAsUser: '1000', runAsGroup: 1000, runAsNonRoot: true },
      initContainers: [
        {
          name: 'fetch',
          image: 'alpine',
          command: ['sh'],
          args: ['-c', 'true'],
          env: [{ name: 'A', value: 'b' }],
          volumeMounts: [{ volumeName: 'cache', mountPath: '/cache' }],
          restartPolicy: 'Always',
          resources: { requests: { cpu: '100m' }, limits: { memory: '64Mi' } },
        },
      ],
    };
    expect(KubernetesExecutorConfigSchema.parse(config)).toEqual(config);
    expect(structureAfter((_, executors) => (executors['exec-train'] = config))).toBe('');
  });

  it("leaves other platforms' executor configs free-form", () => {
    const found = structureAfter((_, executors) => (executors['exec-make-data'] = 'not a mapping'));
    expect(found).toMatchInlineSnapshot(
      `"INVALID_VALUE platforms.kubernetes.deploymentSpec.executors.exec-make-data: expected a mapping, got the string "not a mapping""`,
    );
    const document = structuredClone(twoStep) as Loose;
    document.platformSpec.platforms.google_cloud = {
      deploymentSpec: { executors: { 'exec-train': { secretAsEnvs: [], anything: { goes: 1 } } } },
    };
    expect(checkStructure(document)).toEqual([]);
  });

  it("reads proto field names and nulls inside a config, as protojson in KFP's backend does", () => {
    const text = fixture('two-step.yaml')
      .replace('secretAsEnv:', 'secret_as_env:')
      .replace('secretNameParameter:', 'optional: null\n            secret_name_parameter:');
    const decoded = decodePipeline(text);
    if (!decoded.ok) throw new Error('decode failed');
    expect(decoded.document.platformSpec).toEqual(twoStep.platformSpec);
    expect(validatePipeline(decoded.document)).toEqual([]);
  });

  it('finds every InputParameterSpec field the schema has', () => {
    // A config with every message present once and every InputParameterSpec set, built from the schema itself.
    const found: string[] = [];
    const build = (schema: Loose, path: string[]): unknown => {
      const inner = unwrapSchema(schema);
      if (inner === unwrapSchema(TaskInputParameterSchema)) {
        found.push(path.join('.'));
        return { componentInputParameter: 'x' };
      }
      const fields = messageFields(inner);
      if (fields) {
        return Object.fromEntries(fields.map((f) => [f, build(childSchema(inner, f)!, [...path, f])]));
      }
      if (inner instanceof z.ZodArray) return [build(childSchema(inner, 0)!, [...path, '0'])];
      return undefined;
    };
    const config = build(KubernetesExecutorConfigSchema, []);
    const sources = kubernetesParameterSources(config).filter((s) => !s.legacyPvcReference);
    expect(sources.map((s) => s.path.join('.')).sort()).toEqual(found.sort());
    expect(found).toHaveLength(9);
  });
});

describe('kubernetes executor configs: references', () => {
  it('flags a config for an executor the PipelineSpec does not have', () => {
    expect(semanticsWith({ 'exec-trian': { activeDeadlineSeconds: 60 } })).toMatchInlineSnapshot(
      `"UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-trian: executor 'exec-trian' does not exist in deploymentSpec.executors (did you mean 'exec-train'?), so this config applies to no task"`,
    );
  });

  it('resolves componentInputParameter against the DAG holding each task that runs the executor', () => {
    // comp-train runs in the root (which has `epochs`) and in comp-for-loop-2 (which does not).
    const found = semanticsWith({
      'exec-train': { secretAsEnv: [{ secretNameParameter: fromInput('epochs'), keyToEnv: [] }] },
      'exec-print': { secretAsVolume: [{ secretNameParameter: fromInput('message'), mountPath: '/s' }] },
      'exec-prep': { tolerations: [{ tolerationJson: fromInput('epoch') }] },
    });
    expect(found).toMatchInlineSnapshot(`
      "UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnv[0].secretNameParameter.componentInputParameter: task train-2 runs this executor in component comp-for-loop-2, which has no input parameter 'epochs'; it is an input of the pipeline (root), but KFP's driver reads it from the DAG that holds the task, so pass it into component comp-for-loop-2
      UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-print.secretAsVolume[0].secretNameParameter.componentInputParameter: task print-message runs this executor in component comp-exit-handler-1, which has no input parameter 'message' (did you mean 'pipelinechannel--message'?)
      UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-prep.tolerations[0].tolerationJson.componentInputParameter: task prep runs this executor in the pipeline (root), which has no input parameter 'epoch' (did you mean 'epochs'?)"
    `);
  });

  it('requires taskOutputParameter to name a sibling task and one of its output parameters', () => {
    const found = semanticsWith({
      'exec-register': {
        pvcMount: [
          {
            mountPath: '/data',
            pvcNameParameter: {
              taskOutputParameter: { producerTask: 'train', outputParameterKey: 'accuracy' },
            },
          },
        ],
      },
      'exec-summarize': {
        nodeAffinity: [
          {
            nodeAffinityJson: {
              taskOutputParameter: { producerTask: 'train', outputParameterKey: 'accuracyy' },
            },
          },
        ],
        pvcMount: [{ taskOutputParameter: { producerTask: 'trin', outputParameterKey: 'accuracy' } }],
      },
    });
    expect(found).toMatchInlineSnapshot(`
      "UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-register.pvcMount[0].pvcNameParameter.taskOutputParameter.producerTask: task register runs this executor in component comp-condition-1; task 'train' is in the pipeline (root), which encloses this DAG; KFP's driver looks only among this DAG's tasks, so pass the output in as an input of component comp-condition-1
      UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-summarize.nodeAffinity[0].nodeAffinityJson.taskOutputParameter.outputParameterKey: component comp-train (task train) has no output parameter 'accuracyy' (did you mean 'accuracy'?)
      UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-summarize.pvcMount[0].taskOutputParameter.producerTask: task summarize runs this executor in the pipeline (root); task 'trin' does not exist in this DAG (did you mean 'train'?)"
    `);
  });

  it('reports a fault once per DAG, however many of its tasks run the executor', () => {
    const found = semanticsWith(
      { 'exec-prep': { secretAsEnv: [{ secretNameParameter: fromInput('secret') }] } },
      (spec) => {
        spec.root.dag.tasks['prep-again'] = structuredClone(spec.root.dag.tasks.prep);
      },
    );
    expect(found).toMatchInlineSnapshot(
      `"UNKNOWN_REFERENCE platforms.kubernetes.deploymentSpec.executors.exec-prep.secretAsEnv[0].secretNameParameter.componentInputParameter: task prep runs this executor in the pipeline (root), which has no input parameter 'secret'"`,
    );
  });

  it('accepts references that resolve, and checks nothing in a config the schema rejects', () => {
    expect(
      semanticsWith({
        'exec-register': {
          secretAsEnv: [{ secretNameParameter: fromInput('pipelinechannel--train-accuracy') }],
        },
        'exec-summarize': {
          imagePullSecret: [
            {
              secretNameParameter: {
                taskOutputParameter: { producerTask: 'train', outputParameterKey: 'accuracy' },
              },
            },
          ],
          secretAsVolume: [{ secretNameParameter: { runtimeValue: { constant: 'static' } } }],
        },
        'exec-prep': {
          secretAsEnvs: [{ secretNameParameter: fromInput('nope') }],
        } as KubernetesExecutorConfig,
      }),
    ).toBe('');
  });

  it('is reported by validatePipeline with the file path a user reads', () => {
    const document = structuredClone(twoStep) as Loose;
    const config = document.platformSpec.platforms.kubernetes.deploymentSpec.executors['exec-train'];
    config.secretAsEnv[0].secretNameParameter = fromInput('secret_name');
    expect(formatIssues(validatePipeline(document), 'two-step.yaml')).toMatchInlineSnapshot(
      `"two-step.yaml: platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnv[0].secretNameParameter.componentInputParameter: task train runs this executor in the pipeline (root), which has no input parameter 'secret_name'"`,
    );
  });
});

describe('kubernetes executor configs in the KFP corpus', () => {
  const withConfigs = corpusFiles('valid', 'argo_compatibility').filter((file) => {
    const executors = readCorpusPipeline(file).platformSpec?.platforms?.kubernetes?.deploymentSpec?.executors;
    return Object.keys(executors ?? {}).length > 0;
  });

  it('has kubernetes executor configs to check', () => {
    expect(withConfigs.length).toBeGreaterThanOrEqual(6);
  });

  it('finds each parameter reference broken in turn, and only that one', () => {
    let broken = 0;
    for (const file of withConfigs) {
      const original = readCorpusPipeline(file);
      const executors = original.platformSpec!.platforms!.kubernetes!.deploymentSpec!.executors!;
      for (const [label, config] of Object.entries(executors)) {
        for (const source of kubernetesParameterSources(config)) {
          const field =
            source.spec.componentInputParameter !== undefined ? 'componentInputParameter' : undefined;
          const producer = (source.spec.taskOutputParameter as { producerTask?: string } | undefined)
            ?.producerTask;
          if (field === undefined && producer === undefined) continue;
          const document = structuredClone(original) as Loose;
          let spec = document.platformSpec.platforms.kubernetes.deploymentSpec.executors[label];
          for (const step of source.path) spec = spec[step];
          if (field) spec.componentInputParameter = 'no_such_input';
          else spec.taskOutputParameter.producerTask = 'no-such-task';
          const issues = validatePipeline(document);
          const at = `platforms.kubernetes.deploymentSpec.executors.${label}`;
          expect(
            issues.map((issue) => issue.code),
            file,
          ).toEqual(['UNKNOWN_REFERENCE']);
          expect(issues[0]!.path.startsWith(at), `${file}: ${issues[0]!.path}`).toBe(true);
          broken++;
        }
      }
    }
    expect(broken).toBeGreaterThan(15);
  });
});
