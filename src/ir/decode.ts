/**
 * Text → the documents of a pipeline file, without validating them: YAML or JSON, the PipelineSpec and
 * an optional PlatformSpec, or a PipelineJob envelope around them. Everything that stops the text from
 * being a pipeline document at all comes back as PARSE_ERROR issues with a line and column; nothing
 * throws. What the documents contain is checkStructure's business.
 */
import type { Document } from 'yaml';
import { IssueCode } from './issues.ts';
import { KubernetesExecutorConfigSchema } from './kubernetes-config.ts';
import { issueAt, type ParseIssue, parseDocuments } from './parse-documents.ts';
import { unwrapPipelineJob } from './pipeline-job.ts';
import { isPlainObject, normalizeProtoJson } from './proto-json.ts';
import { describe } from './schema-issues.ts';
import {
  type JsonValue,
  type PipelineDocument,
  PipelineSpecSchema,
  type PlatformSpec,
  PlatformSpecSchema,
  type Struct,
} from './spec.ts';

export type DecodeResult =
  | {
      ok: true;
      document: PipelineDocument;
      /** `runtimeConfig.parameterValues` when the text was a PipelineJob: the run's arguments. */
      parameterValues?: Record<string, JsonValue>;
    }
  | { ok: false; issues: ParseIssue[] };

/**
 * Decodes a pipeline file's text. YAML is read with PyYAML's scalar rules (what KFP's SDK wrote it with),
 * JSON as JSON; documents that are empty (a stray `---`) are ignored, as KFP's backend ignores them.
 */
export function decodePipeline(text: string): DecodeResult {
  const parsed = parseDocuments(text);
  if (!parsed.ok) return parsed;
  const { documents, lineCounter } = parsed;
  const at = (doc: Document, message: string): ParseIssue =>
    issueAt(message, doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0, lineCounter);
  if (documents.length === 0) {
    return fail({
      code: IssueCode.PARSE_ERROR,
      path: '',
      message: 'the file holds no YAML document (it is empty or only comments); expected a PipelineSpec',
    });
  }
  if (documents.length > 2) {
    const third = documents[2]!;
    return fail(
      at(
        third,
        `found ${documents.length} YAML documents; a pipeline file holds a PipelineSpec and, optionally, a PlatformSpec after '---'`,
      ),
    );
  }
  const values: Array<Record<string, unknown>> = [];
  for (const [i, doc] of documents.entries()) {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      return fail(at(doc, `cannot build the document: ${(error as Error).message}`));
    }
    if (!isPlainObject(value)) {
      const what = i === 0 ? 'first document (the PipelineSpec)' : 'second document (the PlatformSpec)';
      return fail(at(doc, `the ${what} must be a mapping, got ${describe(value)}`));
    }
    values.push(value);
  }
  return toPipelineDocument(values, (i, message) => at(documents[i]!, message));
}

function toPipelineDocument(
  values: Array<Record<string, unknown>>,
  at: (documentIndex: number, message: string) => ParseIssue,
): DecodeResult {
  // KFP's backend finds each document by its content, so a PlatformSpec written first is accepted too.
  if (values.length === 2 && 'platforms' in values[0]! && !('platforms' in values[1]!)) values.reverse();
  const job = unwrapPipelineJob(values[0]!);
  if (typeof job === 'string') return fail(at(0, job));
  const second = values[1];
  if (second !== undefined && job.platformSpec !== undefined) {
    return fail(at(1, 'the PipelineJob already carries a platformSpec; remove the second document'));
  }
  if (second !== undefined && ('root' in second || 'pipelineInfo' in second)) {
    return fail(
      at(
        1,
        "the second document is another PipelineSpec; a file holds one pipeline, and only a PlatformSpec ('platforms:') may follow it",
      ),
    );
  }
  const platformSpec = job.platformSpec ?? second;
  const document: PipelineDocument = {
    pipelineSpec: normalizeProtoJson(
      job.pipelineSpec,
      PipelineSpecSchema,
    ) as PipelineDocument['pipelineSpec'],
  };
  if (platformSpec !== undefined) document.platformSpec = normalizePlatformSpec(platformSpec);
  return job.parameterValues === undefined
    ? { ok: true, document }
    : { ok: true, document, parameterValues: job.parameterValues };
}

/**
 * proto3 JSON's leniencies in the PlatformSpec, inside kubernetes executor configs too: pipeline_spec.proto
 * makes those Structs, but KFP's backend reads each as a KubernetesExecutorConfig with protojson, which
 * accepts `secret_as_env` and `optional: null` as it does in the PipelineSpec.
 */
function normalizePlatformSpec(platformSpec: unknown): PlatformSpec {
  const normalized = normalizeProtoJson(platformSpec, PlatformSpecSchema) as PlatformSpec;
  const deployment = normalized.platforms?.kubernetes?.deploymentSpec;
  if (isPlainObject(deployment) && isPlainObject(deployment.executors)) {
    // fromEntries defines own properties, so an executor labelled `__proto__` stays a plain key.
    deployment.executors = Object.fromEntries(
      Object.entries(deployment.executors).map(([label, config]) => [
        label,
        normalizeProtoJson(config, KubernetesExecutorConfigSchema) as Struct,
      ]),
    );
  }
  return normalized;
}

function fail(...issues: ParseIssue[]): DecodeResult {
  return { ok: false, issues };
}
