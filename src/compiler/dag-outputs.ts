/**
 * DAG outputs: which subtask output each output of a DAG component selects (one selector, or one per
 * branch for OneOf), and the output definitions they imply.
 */
import {
  ArtifactChannel,
  type IoSpecs,
  isOneOf,
  type OneOfArtifact,
  type OneOfParameter,
  type ParameterChannel,
  type PipelineChannel,
} from '../dsl/index.ts';
import type { ComponentSpec } from '../ir/index.ts';

export function connectDagOutputs(
  componentSpec: ComponentSpec,
  outputs: Readonly<Record<string, PipelineChannel>>,
): void {
  for (const [name, channel] of Object.entries(outputs)) {
    const dag = (componentSpec.dag ??= {});
    const dagOutputs = (dag.outputs ??= {});
    if (channel instanceof ArtifactChannel) {
      const selectors = (((dagOutputs.artifacts ??= {})[name] ??= {}).artifactSelectors ??= []);
      selectors.push({ outputArtifactKey: channel.name, producerSubtask: channel.taskName ?? '' });
    } else {
      (dagOutputs.parameters ??= {})[name] = {
        valueFromParameter: { outputParameterKey: channel.name, producerSubtask: channel.taskName ?? '' },
      };
    }
  }
}

export function connectOneOfOutputs(
  componentSpec: ComponentSpec,
  outputs: ReadonlyMap<string, PipelineChannel>,
): void {
  for (const [name, channel] of outputs) {
    if (!isOneOf(channel)) continue;
    // Created on first use: branches that surface nothing have no `outputs` at all, as in KFP's IR.
    const dagOutputs = ((componentSpec.dag ??= {}).outputs ??= {});
    const oneOf = channel as OneOfParameter | OneOfArtifact;
    if (oneOf instanceof ArtifactChannel) {
      (dagOutputs.artifacts ??= {})[name] = {
        artifactSelectors: oneOf.channels.map((inner) => ({
          outputArtifactKey: inner.name,
          producerSubtask: inner.taskName ?? '',
        })),
      };
    } else {
      (dagOutputs.parameters ??= {})[name] = {
        valueFromOneof: {
          parameterSelectors: oneOf.channels.map((inner) => ({
            outputParameterKey: inner.name,
            producerSubtask: inner.taskName ?? '',
          })),
        },
      };
    }
  }
}

export function outputSpecsOf(outputs: Readonly<Record<string, PipelineChannel>>): IoSpecs {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, channel]) => [
      name,
      channel instanceof ArtifactChannel
        ? {
            kind: 'artifact',
            schemaTitle: channel.schemaTitle,
            schemaVersion: channel.schemaVersion,
            isList: channel.isList,
            isOptional: false,
          }
        : { kind: 'parameter', type: (channel as ParameterChannel).type, isOptional: false },
    ]),
  );
}
