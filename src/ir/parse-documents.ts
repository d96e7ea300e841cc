/**
 * Pipeline file text → `yaml` Documents, or PARSE_ERROR issues that say where (line and column, 1-based)
 * and what, in a sentence and without the `yaml` package's code frame.
 *
 * YAML is read with PyYAML's scalar rules (pyyaml-schema.ts), JSON with YAML 1.2's, which are JSON's. Text
 * that fails to parse gets one more try after reindentKfpYaml, for the PyYAML quirk it repairs.
 */
import {
  CST,
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  parseAllDocuments,
} from 'yaml';
import { type Issue, IssueCode } from './issues.ts';
import { reindentKfpYaml } from './kfp-yaml.ts';
import { pyyamlTags } from './pyyaml-schema.ts';

/** A PARSE_ERROR issue; `line` and `column` (1-based) say where, when there is a where. */
export interface ParseIssue extends Issue {
  line?: number;
  column?: number;
}

export type Parsed =
  | { ok: true; documents: Document[]; lineCounter: LineCounter }
  | { ok: false; issues: ParseIssue[] };

/** The non-empty documents of `text` (a stray `---` makes an empty one, which KFP ignores too). */
export function parseDocuments(text: string): Parsed {
  // JSON is YAML 1.2; reading it with 1.1 rules would turn the number 1e3 into a string.
  const json = /^\uFEFF?\s*[{[]/.test(text);
  let parsed = parseWith(text, json);
  if (!json && !parsed.ok) {
    // Only text that fails as written is re-indented, so valid YAML can never change meaning.
    const reindented = reindentKfpYaml(text);
    if (reindented !== text) parsed = parseWith(reindented, json);
  }
  return parsed;
}

function parseWith(text: string, json: boolean): Parsed {
  // The `yaml` package finds a duplicate key by comparing it with every earlier key of its map: 10 s for a
  // 10,000-task DAG. Parsing without that check and then looking for duplicates in one pass is linear; a
  // text with a duplicate (or any other error) is parsed again with the check, so its errors, their order
  // and places are the package's own.
  let { all, lineCounter } = parseAll(text, json, false);
  if (all.some((doc) => doc.errors.length > 0 || hasDuplicateKey(doc))) {
    ({ all, lineCounter } = parseAll(text, json, true));
  }
  const issues: ParseIssue[] = all.flatMap((doc) =>
    doc.errors.map((error) => {
      // The `yaml` package appends " at line L, column C:" and a code frame; the location is kept as data.
      const reason = error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      if (error.code === 'MISSING_CHAR' && /quote/.test(reason)) {
        // yaml reports an unclosed quote where the text ends; the user needs where the string starts.
        const start = unclosedQuoteStart(text);
        if (start !== undefined) return issueAt('this quoted string is never closed', start, lineCounter);
      }
      const where = error.linePos?.[0];
      return where === undefined
        ? { code: IssueCode.PARSE_ERROR, path: '', message: reason }
        : located(reason, where.line, where.col);
    }),
  );
  if (issues.length > 0) return { ok: false, issues: distinct(issues) };
  const documents = all.filter(
    (doc) => !(doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)),
  );
  return { ok: true, documents, lineCounter };
}

function parseAll(text: string, json: boolean, uniqueKeys: boolean) {
  const lineCounter = new LineCounter();
  const options = json
    ? ({ lineCounter, version: '1.2', schema: 'core', uniqueKeys } as const)
    : ({ lineCounter, version: '1.1', customTags: pyyamlTags, uniqueKeys } as const);
  return { all: parseAllDocuments(text, options), lineCounter };
}

/** Whether a map has two keys the `yaml` package's check calls equal: scalars with `===` values. */
function hasDuplicateKey(doc: Document): boolean {
  const search = (node: unknown): boolean => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const { key, value } of node.items) {
        // A Set finds NaN again, which `===` never does.
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) return true;
          seen.add(key.value);
        }
        if (search(key) || search(value)) return true;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (search(item)) return true;
    } else if (isPair(node)) {
      // An `!!omap` or `!!pairs` sequence holds pairs.
      return search(node.key) || search(node.value);
    }
    return false;
  };
  return search(doc.contents);
}

/** Offset of the first quoted scalar without its closing quote, read from the CST. */
function unclosedQuoteStart(text: string): number | undefined {
  let found: number | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      for (const node of [item.key, item.value]) {
        if (
          found !== undefined ||
          !node ||
          (node.type !== 'double-quoted-scalar' && node.type !== 'single-quoted-scalar')
        )
          continue;
        const quote = node.source[0]!;
        const body = node.source.slice(1).trimEnd();
        const closed = body.endsWith(quote) && !(quote === '"' && /(^|[^\\])(\\\\)*\\"$/.test(body));
        if (!closed) found = node.offset;
      }
      return found === undefined ? undefined : CST.visit.BREAK;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

export function issueAt(message: string, offset: number, lineCounter: LineCounter): ParseIssue {
  const { line, col } = lineCounter.linePos(offset);
  return located(message, line, col);
}

function located(message: string, line: number, column: number): ParseIssue {
  return {
    code: IssueCode.PARSE_ERROR,
    path: '',
    message,
    line,
    column,
  };
}

/** One issue per message and place: several `yaml` errors can come down to the same unclosed quote. */
function distinct(issues: ParseIssue[]): ParseIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.message)) return false;
    seen.add(issue.message);
    return true;
  });
}
