/**
 * Validation issues: every check collects all of them, each with a path into the document, so a user
 * fixes a file in one pass. Formatting is separate from collection (see formatIssues).
 */
import { SluiceError } from '../errors.ts';

export const IssueCode = {
  /** The text is not YAML/JSON, or the document is empty. */
  PARSE_ERROR: 'PARSE_ERROR',
  /** A key the PipelineSpec does not define (usually a typo). */
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  /** A field has the wrong JSON type or an enum value KFP does not define. */
  INVALID_VALUE: 'INVALID_VALUE',
  /** A field KFP requires is absent. */
  MISSING_FIELD: 'MISSING_FIELD',
  /** Two members of a proto `oneof` are set, or none where one is required. */
  ONEOF_CONFLICT: 'ONEOF_CONFLICT',
  /** A name points at a component, executor, task, input or output that does not exist. */
  UNKNOWN_REFERENCE: 'UNKNOWN_REFERENCE',
  /** Tasks depend on each other in a loop. */
  DEPENDENCY_CYCLE: 'DEPENDENCY_CYCLE',
  /** A producer's type does not fit the consumer's declared type. */
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  /** A required input has no value and no default. */
  MISSING_INPUT: 'MISSING_INPUT',
  /** A placeholder is malformed or names an input/output the component does not declare. */
  BAD_PLACEHOLDER: 'BAD_PLACEHOLDER',
  /** A trigger condition or expression selector is not valid CEL. */
  BAD_CEL: 'BAD_CEL',
  /** schemaVersion is not one Sluice reads. */
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

export interface Issue {
  code: IssueCode;
  /** Dotted path into the document, e.g. `root.dag.tasks.train.inputs.parameters.epochs`; `[i]` for list items. */
  path: string;
  message: string;
  /** 1-based position in the text, when the issue was found while parsing it. */
  line?: number;
  column?: number;
}

/** Joins path segments the way users read them: `a.b[2].c`. */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * One line per issue, the CLI's printer: `file: path: message`, or `file:line:column: message` for issues
 * found while parsing (as compilers print them, so editors can jump to the place).
 */
export function formatIssues(issues: ReadonlyArray<Issue>, source?: string): string {
  return issues
    .map((issue) => {
      if (issue.line !== undefined) {
        const place = [source ?? '<input>', issue.line, issue.column]
          .filter((part) => part !== undefined)
          .join(':');
        return `${place}: ${issue.message}`;
      }
      const prefix = source ? `${source}: ` : '';
      return `${prefix}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
    })
    .join('\n');
}

/** Thrown when a pipeline document cannot be used; carries every issue found. */
export class IrInvalidError extends SluiceError {
  readonly issues: ReadonlyArray<Issue>;
  readonly source: string | undefined;

  constructor(issues: ReadonlyArray<Issue>, source?: string) {
    const head = source ? `${source} is not a valid pipeline` : 'not a valid pipeline';
    super(
      'IR_INVALID',
      `${head} (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${formatIssues(issues)}`,
    );
    this.issues = issues;
    this.source = source;
  }
}
