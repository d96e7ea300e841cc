import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reindentKfpYaml } from '../../src/ir/kfp-yaml.ts';

/** Lines as PyYAML's indented-sequence dumper writes them (see pipeline_with_secret_as_env.yaml). */
const kfpCommand = [
  'command:',
  '  - sh',
  '  - "\\nif ! [ -x \\"$(command -v pip)\\" ]; then\\n    python3 -m ensurepip ||\\',
  '  \\ python3 -m ensurepip --user\\nfi\\n"',
  "  - 'program_path=$(mktemp -d)",
  '',
  '',
  "  printf ''%s'' \"$0\"",
  '',
  "  '",
  '  - python3',
  '',
].join('\n');

describe('reindentKfpYaml', () => {
  it('indents continuation lines written at the column of their `-`, keeping every value', () => {
    expect(() => parse(kfpCommand)).toThrow(/Missing closing "quote/);
    const fixed = reindentKfpYaml(kfpCommand);
    expect(fixed).toMatchInlineSnapshot(`
      "command:
        - sh
        - "\\nif ! [ -x \\"$(command -v pip)\\" ]; then\\n    python3 -m ensurepip ||\\
          \\ python3 -m ensurepip --user\\nfi\\n"
        - 'program_path=$(mktemp -d)


          printf ''%s'' "$0"

          '
        - python3
      "
    `);
    expect(parse(fixed)).toEqual({
      command: [
        'sh',
        '\nif ! [ -x "$(command -v pip)" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user\nfi\n',
        'program_path=$(mktemp -d)\n\nprintf \'%s\' "$0"\n',
        'python3',
      ],
    });
  });

  it('indents past the key of a mapping that is itself a sequence item', () => {
    const text = ['- name: "first\\', '  \\ second"', '  other: 1', ''].join('\n');
    expect(parse(reindentKfpYaml(text))).toEqual([{ name: 'first second', other: 1 }]);
  });

  it('returns valid YAML unchanged (the same string)', () => {
    const valid = ['args:', '- "a long\\', '  \\ string"', "- 'it''s'", '- plain: "x"', ''].join('\n');
    expect(reindentKfpYaml(valid)).toBe(valid);
  });

  it('leaves block scalars alone, even when a line inside looks like an open quote', () => {
    const text = ['script: |', '  - "not a quote', 'next: "value"', ''].join('\n');
    expect(reindentKfpYaml(text)).toBe(text);
    expect(parse(text)).toEqual({ script: '- "not a quote\n', next: 'value' });
  });

  it('reads escaped quotes as content, not as the closing quote', () => {
    const text = ['- "say \\"hi\\" and\\', '- more"', "- 'it''s", "- fine'", ''].join('\n');
    expect(parse(reindentKfpYaml(text))).toEqual(['say "hi" and- more', "it's - fine"]);
  });

  it('keeps Windows line endings', () => {
    const text = '- "a\\\r\n- b"\r\n- c\r\n';
    const fixed = reindentKfpYaml(text);
    expect(fixed).toBe('- "a\\\r\n  - b"\r\n- c\r\n');
    expect(parse(fixed)).toEqual(['a- b', 'c']);
  });
});
