/**
 * pipeline_spec.proto's rules for what a DAG holds: tasks (component reference, input sources, iterators)
 * and the DAG's outputs (selectors of sub-task outputs). See proto-rules.ts.
 */
import { IssueCode } from './issues.ts';
import {
  checkValueOrRuntimeParameter,
  entries,
  type Message,
  oneof,
  type Path,
  type Report,
  requireText,
} from './proto-constraints.ts';
import { isPlainObject } from './proto-json.ts';

export function checkTask(task: unknown, path: Path, report: Report): void {
  if (!isPlainObject(task)) return;
  if (task.componentRef === undefined) {
    report(
      IssueCode.MISSING_FIELD,
      [...path, 'componentRef'],
      'missing; a task runs the component named by componentRef.name',
    );
  } else if (isPlainObject(task.componentRef)) {
    requireText(
      task.componentRef,
      'name',
      [...path, 'componentRef'],
      report,
      'name the component this task runs (a key of components)',
    );
  }
  const inputs = task.inputs;
  if (isPlainObject(inputs)) {
    for (const [name, input] of entries(inputs.parameters)) {
      checkInputParameter(input, [...path, 'inputs', 'parameters', name], report);
    }
    for (const [name, input] of entries(inputs.artifacts)) {
      checkInputArtifact(input, [...path, 'inputs', 'artifacts', name], report);
    }
  }
  oneof(
    task,
    ['parameterIterator', 'artifactIterator'],
    path,
    report,
    'a task iterates over one collection',
    false,
  );
  if (isPlainObject(task.parameterIterator)) {
    const iterator = task.parameterIterator;
    const itemsPath = [...path, 'parameterIterator'];
    if (iterator.items === undefined) {
      report(
        IssueCode.MISSING_FIELD,
        [...itemsPath, 'items'],
        'missing; give items.raw (a JSON array) or items.inputParameter',
      );
    } else if (isPlainObject(iterator.items)) {
      oneof(
        iterator.items,
        ['raw', 'inputParameter'],
        [...itemsPath, 'items'],
        report,
        'the items come from one place',
      );
    }
    requireText(iterator, 'itemInput', itemsPath, report, 'name the input that receives each item');
  }
  if (isPlainObject(task.artifactIterator)) {
    const iterator = task.artifactIterator;
    const itemsPath = [...path, 'artifactIterator'];
    if (iterator.items === undefined) {
      report(IssueCode.MISSING_FIELD, [...itemsPath, 'items'], 'missing; give items.inputArtifact');
    } else if (isPlainObject(iterator.items)) {
      requireText(
        iterator.items,
        'inputArtifact',
        [...itemsPath, 'items'],
        report,
        'name the input artifact list to iterate over',
      );
    }
    requireText(iterator, 'itemInput', itemsPath, report, 'name the input that receives each item');
  }
}

/** An InputParameterSpec: one source, and the names it needs (also used by kubernetes executor configs). */
export function checkInputParameter(input: unknown, path: Path, report: Report): void {
  if (!isPlainObject(input)) return;
  const sources = ['componentInputParameter', 'taskOutputParameter', 'runtimeValue', 'taskFinalStatus'];
  oneof(input, sources, path, report, 'an input parameter takes its value from one source');
  if (typeof input.componentInputParameter === 'string') {
    requireText(
      input,
      'componentInputParameter',
      path,
      report,
      'name an input parameter of the enclosing component',
    );
  }
  if (isPlainObject(input.taskOutputParameter)) {
    requireText(
      input.taskOutputParameter,
      'producerTask',
      [...path, 'taskOutputParameter'],
      report,
      'name the upstream task',
    );
    requireText(
      input.taskOutputParameter,
      'outputParameterKey',
      [...path, 'taskOutputParameter'],
      report,
      "name the upstream task's output parameter",
    );
  }
  if (isPlainObject(input.taskFinalStatus)) {
    requireText(
      input.taskFinalStatus,
      'producerTask',
      [...path, 'taskFinalStatus'],
      report,
      'name the task whose final status is passed',
    );
  }
  if (isPlainObject(input.runtimeValue)) {
    checkValueOrRuntimeParameter(input.runtimeValue, [...path, 'runtimeValue'], report);
  }
}

function checkInputArtifact(input: unknown, path: Path, report: Report): void {
  if (!isPlainObject(input)) return;
  oneof(
    input,
    ['componentInputArtifact', 'taskOutputArtifact'],
    path,
    report,
    'an input artifact comes from one source',
  );
  if (typeof input.componentInputArtifact === 'string') {
    requireText(
      input,
      'componentInputArtifact',
      path,
      report,
      'name an input artifact of the enclosing component',
    );
  }
  if (isPlainObject(input.taskOutputArtifact)) {
    requireText(
      input.taskOutputArtifact,
      'producerTask',
      [...path, 'taskOutputArtifact'],
      report,
      'name the upstream task',
    );
    requireText(
      input.taskOutputArtifact,
      'outputArtifactKey',
      [...path, 'taskOutputArtifact'],
      report,
      "name the upstream task's output artifact",
    );
  }
}

export function checkDagOutputs(outputs: Message, path: Path, report: Report): void {
  for (const [name, output] of entries(outputs.parameters)) {
    if (!isPlainObject(output)) continue;
    const outputPath = [...path, 'parameters', name];
    oneof(
      output,
      ['valueFromParameter', 'valueFromOneof'],
      outputPath,
      report,
      'a DAG output parameter comes from one place',
    );
    if (isPlainObject(output.valueFromParameter)) {
      checkSelector(
        output.valueFromParameter,
        [...outputPath, 'valueFromParameter'],
        'outputParameterKey',
        report,
      );
    }
    if (isPlainObject(output.valueFromOneof)) {
      const selectorsPath = [...outputPath, 'valueFromOneof', 'parameterSelectors'];
      const selectors = output.valueFromOneof.parameterSelectors;
      if (selectors === undefined || (Array.isArray(selectors) && selectors.length === 0)) {
        report(IssueCode.MISSING_FIELD, selectorsPath, 'missing; list the sub-task outputs to choose from');
      } else if (Array.isArray(selectors)) {
        for (const [i, selector] of selectors.entries()) {
          checkSelector(selector, [...selectorsPath, i], 'outputParameterKey', report);
        }
      }
    }
  }
  for (const [name, output] of entries(outputs.artifacts)) {
    if (!isPlainObject(output)) continue;
    const selectorsPath = [...path, 'artifacts', name, 'artifactSelectors'];
    const selectors = output.artifactSelectors;
    if (selectors === undefined || (Array.isArray(selectors) && selectors.length === 0)) {
      report(
        IssueCode.MISSING_FIELD,
        selectorsPath,
        'missing; name the sub-task output(s) this DAG output exposes',
      );
    } else if (Array.isArray(selectors)) {
      for (const [i, selector] of selectors.entries()) {
        checkSelector(selector, [...selectorsPath, i], 'outputArtifactKey', report);
      }
    }
  }
}

function checkSelector(selector: unknown, path: Path, keyField: string, report: Report): void {
  if (!isPlainObject(selector)) return;
  requireText(selector, 'producerSubtask', path, report, 'name the sub-task that produces the output');
  requireText(selector, keyField, path, report, "name the sub-task's output");
}
