/**
 * Loading pipeline files: the throwing entry points the engine and compiler use, and the collecting ones
 * the CLI's `validate` uses. A pipeline file is YAML or JSON: the PipelineSpec, optionally followed by a
 * PlatformSpec document, or a PipelineJob wrapping them (see decode.ts).
 *
 * @example
 * const document = await readPipelineFile('pipeline.yaml'); // throws IrInvalidError on a broken file
 * const issues = await validatePipelineFile('pipeline.yaml'); // every issue, [] when the file is good
 */
import { readFile } from 'node:fs/promises';
import { SluiceError } from '../errors.ts';
import { type DecodeResult, decodePipeline } from './decode.ts';
import { formatIssues, IrInvalidError, type Issue } from './issues.ts';
import type { ParseIssue } from './parse-documents.ts';
import type { PipelineDocument } from './spec.ts';
import { validatePipeline } from './validate.ts';
import { checkStructure } from './validate-structure.ts';

/**
 * Thrown when the text is not YAML/JSON, or not one or two mapping documents: an IrInvalidError (code
 * `IR_INVALID`, PARSE_ERROR issues with `line`/`column`) whose message reads like a compiler's, one line
 * per error: `pipeline.yaml:26:85: Missing closing "quote`.
 */
export class IrParseError extends IrInvalidError {
  constructor(issues: ReadonlyArray<ParseIssue>, source?: string) {
    super(issues, source);
    this.message = formatIssues(issues, source);
  }
}

/** Thrown when a pipeline file cannot be read at all (missing, a directory, no permission). */
export class PipelineReadError extends SluiceError {
  readonly path: string;

  constructor(path: string, cause: unknown) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    super('IR_READ_FAILED', `cannot read pipeline file ${path}: ${reason}`, { cause });
    this.path = path;
  }
}

/**
 * Parses and structurally checks a pipeline file's text. Semantic checks (references, cycles, placeholders)
 * are `validatePipeline`'s; run it too before executing a document from an untrusted source.
 *
 * @param source file name used in messages
 * @throws IrParseError when the text is not a YAML/JSON pipeline document
 * @throws IrInvalidError listing every structural issue
 */
export function parsePipeline(text: string, source?: string): PipelineDocument {
  const decoded = decodePipeline(text);
  if (!decoded.ok) throw new IrParseError(decoded.issues, source);
  const issues = checkStructure(decoded.document);
  if (issues.length > 0) throw new IrInvalidError(issues, source);
  return decoded.document;
}

/**
 * Reads a pipeline file (async, so a server loading one never blocks its event loop) and parses it as
 * `parsePipeline` does, with the path in messages.
 *
 * @throws PipelineReadError, IrParseError, IrInvalidError
 */
export async function readPipelineFile(path: string): Promise<PipelineDocument> {
  return parsePipeline(await readText(path), path);
}

/**
 * Every issue in a pipeline file's text, never throwing: PARSE_ERROR issues when it cannot be decoded,
 * otherwise the structural issues or, when there are none, the semantic ones (see validatePipeline).
 */
export function validatePipelineText(text: string): Issue[] {
  const decoded: DecodeResult = decodePipeline(text);
  return decoded.ok ? validatePipeline(decoded.document) : decoded.issues;
}

/**
 * `validatePipelineText` for a file: what `sluice validate` prints (`formatIssues(issues, path)`).
 *
 * @throws PipelineReadError when the file cannot be read; that is not an issue of the pipeline
 */
export async function validatePipelineFile(path: string): Promise<Issue[]> {
  return validatePipelineText(await readText(path));
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new PipelineReadError(path, error);
  }
}
