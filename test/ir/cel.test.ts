import { describe, expect, it } from 'vitest';
import { celParameterReads, checkCel } from '../../src/ir/cel.ts';
import { corpusFiles, readCorpusPipeline } from './corpus.ts';

describe('checkCel', () => {
  it.each([
    "!(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads') && int(inputs.parameter_values['pipelinechannel--x']) > 5",
    "inputs.parameter_values['pipelinechannel--a'] == inputs.parameter_values['pipelinechannel--b']",
    "inputs.parameter_values['pipelinechannel--pick_a'] == true",
    "double(inputs.parameter_values['pipelinechannel--acc']) >= 0.9",
    'parseJson(string_value)["B_b"]',
  ])('accepts %s', (expression) => {
    expect(checkCel(expression)).toBeUndefined();
  });

  it('reports syntax errors with the parser’s message and position', () => {
    const messages = [
      "inputs.parameter_values['x'] ==",
      "inputs.parameter_values['x'] == 'heads",
      "int(inputs.parameter_values['x']) > 5)",
      "int(inputs.parameter_values['x'] > 5",
      "inputs.parameter_values['x'] === 'a'",
      '',
    ].map((expression) => checkCel(expression)?.message);
    expect(messages).toMatchInlineSnapshot(`
      [
        "found = but expecting end of input (line 1, column 30)",
        "found = but expecting end of input (line 1, column 30); the string starting at column 33 is not closed",
        "found ) but expecting end of input (line 1, column 38); ')' at column 38 closes nothing",
        "found ( but expecting end of input (line 1, column 4); '(' is not closed",
        "found = but expecting end of input (line 1, column 30)",
        "the expression is empty",
      ]
    `);
  });
});

describe('celParameterReads', () => {
  it('lists the parameter names an expression reads, once each, in order', () => {
    expect(
      celParameterReads(
        "!(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads') && int(inputs.parameter_values['pipelinechannel--x']) > 5 && inputs.parameter_values['pipelinechannel--x'] != 0",
      ),
    ).toEqual(['pipelinechannel--flip-coin-Output', 'pipelinechannel--x']);
  });

  it('reads field selection, list literals and macros', () => {
    expect(
      celParameterReads(
        'inputs.parameter_values.a == 1 || [inputs.parameter_values[\'b\']].exists(v, v == inputs.parameter_values["c"])',
      ),
    ).toEqual(['a', 'b', 'c']);
  });

  it('skips computed names and other variables', () => {
    expect(celParameterReads("inputs.parameter_values['a' + 'b'] == 1 && outputs.x == 2")).toEqual([]);
    expect(celParameterReads('parseJson(string_value)["B_b"]')).toEqual([]);
  });

  it('reads nothing from an expression that does not parse', () => {
    expect(celParameterReads("inputs.parameter_values['a'] ==")).toEqual([]);
  });
});

describe('the KFP corpus', () => {
  it('parses every trigger condition and expression selector', () => {
    const conditions: string[] = [];
    const selectors: string[] = [];
    for (const file of corpusFiles('valid', 'argo_compatibility')) {
      const spec = readCorpusPipeline(file).pipelineSpec;
      for (const component of [spec.root, ...Object.values(spec.components ?? {})]) {
        for (const task of Object.values(component?.dag?.tasks ?? {})) {
          if (task.triggerPolicy?.condition) conditions.push(task.triggerPolicy.condition);
          for (const input of Object.values(task.inputs?.parameters ?? {})) {
            if (input.parameterExpressionSelector) selectors.push(input.parameterExpressionSelector);
          }
        }
      }
    }
    const failures = [...conditions, ...selectors].filter((e) => checkCel(e) !== undefined);
    expect(failures).toEqual([]);
    expect(conditions.every((c) => celParameterReads(c).length > 0)).toBe(true);
    expect(new Set(conditions).size).toBeGreaterThanOrEqual(30);
    expect(selectors.length).toBeGreaterThan(0);
  });
});
