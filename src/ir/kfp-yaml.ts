/**
 * Repairs one quirk of the YAML that KFP's compiler writes, so the `yaml` package (YAML 1.2) reads it.
 *
 * KFP dumps IR with PyYAML. With its indented-sequence style, PyYAML writes the continuation lines of a
 * long quoted scalar at the column of the `-` (or of the mapping key) that owns it:
 *
 * ```yaml
 *         command:
 *           - "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip ||\
 *           \ python3 -m ensurepip --user || apt-get install python3-pip\nfi\n"
 * ```
 *
 * PyYAML reads that back; YAML 1.2 requires continuation lines to be indented deeper than the node that
 * owns the scalar, so every 1.2 parser rejects the file ("Missing closing quote"). Leading white space of
 * a continuation line is not part of a quoted scalar's value (it folds away), so indenting those lines is
 * safe: the value stays byte-for-byte what PyYAML reads.
 *
 * The pass is a line scanner, not a parser. It only touches lines inside a quoted scalar that a block
 * mapping value or sequence entry opened and did not close on its own line, and only when they sit at or
 * left of the owning node's column; block scalars (`|`, `>`) are skipped whole, since their lines are
 * content. Valid YAML 1.2 therefore comes back unchanged.
 */

/** Where a multi-line scalar started by an earlier line stands. */
type OpenScalar =
  /** A quoted scalar whose continuation lines must be indented at least `minIndent`. */
  | { kind: 'quoted'; quote: '"' | "'"; minIndent: number }
  /** A block scalar: its content is every blank line or line indented deeper than `parentIndent`. */
  | { kind: 'block'; parentIndent: number };

const BLOCK_SCALAR_HEADER = /^[|>](?:[1-9][+-]?|[+-][1-9]?)?[ \t]*(?:#.*)?\r?$/;

/** Re-indents PyYAML's under-indented continuation lines; returns `text` itself when nothing needs it. */
export function reindentKfpYaml(text: string): string {
  const lines = text.split('\n');
  let changed = false;
  let open: OpenScalar | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = leadingSpaces(line);
    const blank = line.trim() === '';
    if (open?.kind === 'block') {
      if (blank || indent > open.parentIndent) continue;
      open = undefined;
    }
    if (open?.kind === 'quoted') {
      if (!blank && indent < open.minIndent) {
        // One column deeper than required lines the text up with the content after `- ` / `key: `.
        lines[i] = ' '.repeat(open.minIndent + 1 - indent) + line;
        changed = true;
      }
      if (closingQuote(line, open.quote, 0) >= 0) open = undefined;
      continue;
    }
    if (!blank) open = scalarOpenedBy(line, indent);
  }
  return changed ? lines.join('\n') : text;
}

/** The multi-line scalar this line starts as a sequence entry or mapping value, if any. */
function scalarOpenedBy(line: string, indent: number): OpenScalar | undefined {
  let pos = indent;
  // The indentation of the block node that owns the value; -1 for a bare top-level scalar.
  let owner = -1;
  while (line[pos] === '-' && isBlankOrEnd(line, pos + 1)) {
    owner = pos;
    pos = skipSpaces(line, pos + 1);
  }
  const valueStart = afterMappingKey(line, pos);
  if (valueStart >= 0) {
    owner = pos;
    pos = valueStart;
  }
  pos = skipNodeProperties(line, pos);
  const c = line[pos];
  if (c === '"' || c === "'") {
    return closingQuote(line, c, pos + 1) < 0
      ? { kind: 'quoted', quote: c, minIndent: owner + 1 }
      : undefined;
  }
  if ((c === '|' || c === '>') && BLOCK_SCALAR_HEADER.test(line.slice(pos))) {
    return { kind: 'block', parentIndent: owner };
  }
  return undefined;
}

/** Index where the value starts after `key:` at `pos` (plain or quoted key), or -1 if no key is there. */
function afterMappingKey(line: string, pos: number): number {
  const c = line[pos];
  if (c === undefined || c === '#') return -1;
  if (c === '"' || c === "'") {
    const close = closingQuote(line, c, pos + 1);
    if (close < 0 || line[close + 1] !== ':' || !isBlankOrEnd(line, close + 2)) return -1;
    return skipSpaces(line, close + 2);
  }
  for (let i = pos; i < line.length; i++) {
    if (line[i] === '#' && (line[i - 1] === ' ' || line[i - 1] === '\t')) return -1;
    if (line[i] === ':' && isBlankOrEnd(line, i + 1)) return skipSpaces(line, i + 1);
  }
  return -1;
}

/** Skips a tag (`!!str`) and/or anchor (`&a`) in front of a value. */
function skipNodeProperties(line: string, pos: number): number {
  while (line[pos] === '!' || line[pos] === '&') {
    while (pos < line.length && line[pos] !== ' ' && line[pos] !== '\t') pos++;
    pos = skipSpaces(line, pos);
  }
  return pos;
}

/** Index of the quote that closes a scalar opened before `from`, or -1 if it stays open past this line. */
function closingQuote(line: string, quote: '"' | "'", from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (line[n] === ' ') n++;
  return n;
}

function skipSpaces(line: string, pos: number): number {
  while (line[pos] === ' ' || line[pos] === '\t') pos++;
  return pos;
}

function isBlankOrEnd(line: string, pos: number): boolean {
  const c = line[pos];
  return c === undefined || c === ' ' || c === '\t' || c === '\r';
}
