/**
 * The PlatformSpec against the PipelineSpec: each kubernetes executor config must belong to an executor, and
 * the pipeline values it reads (a Secret's name from an input, a PVC's name from a task output) must exist
 * where KFP's driver looks for them. The driver resolves them for each task that runs the executor, against
 * the DAG holding that task, as it resolves the task's own inputs: `componentInputParameter` names an input
 * of that DAG's component (not of the executor's component), `taskOutputParameter` a sibling task's output.
 */
import { formatPath, type Issue } from './issues.ts';
import { KubernetesExecutorConfigSchema } from './kubernetes-config.ts';
import {
  KUBERNETES_EXECUTORS_PATH,
  kubernetesExecutorEntries,
  kubernetesParameterSources,
} from './kubernetes-rules.ts';
import type { Path } from './proto-constraints.ts';
import type { DagScope, SemanticContext, TaskSite } from './semantic-context.ts';
import type { TaskInputParameter } from './spec.ts';
import { didYouMean } from './suggest.ts';
import { missingTaskMessage } from './validate-references.ts';

type Report = (path: Path, message: string) => void;

export function checkPlatform(context: SemanticContext): Issue[] {
  const issues: Issue[] = [];
  // Tasks in different DAGs can find the same fault (an output key their producers both lack); say it once.
  const seen = new Set<string>();
  const report: Report = (path, message) => {
    const issue: Issue = { code: 'UNKNOWN_REFERENCE', path: formatPath(path), message };
    const key = `${issue.path}\n${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(issue);
  };
  const labels = Object.keys(context.executors);
  for (const [label, config] of kubernetesExecutorEntries(context.document.platformSpec)) {
    const path = [...KUBERNETES_EXECUTORS_PATH, label];
    if (!context.executors[label]) {
      report(
        path,
        `executor '${label}' does not exist in deploymentSpec.executors${didYouMean(label, labels)}, so this config applies to no task`,
      );
      continue;
    }
    // A config the schema rejects is checkStructure's to report; its fields cannot be trusted here.
    if (!KubernetesExecutorConfigSchema.safeParse(config).success) continue;
    const sites = tasksRunning(context, label);
    for (const source of kubernetesParameterSources(config)) {
      const spec = source.spec as TaskInputParameter;
      for (const site of sites) checkSource(context, site, spec, [...path, ...source.path], report);
    }
  }
  return issues;
}

/**
 * One task per DAG whose component runs the executor: the references resolve the same way for every task
 * of a DAG, so a second task there would only repeat the first one's findings.
 */
function tasksRunning(context: SemanticContext, label: string): TaskSite[] {
  const sites = (context.componentsRunning.get(label) ?? []).flatMap(
    (name) => context.usersOf.get(name) ?? [],
  );
  const seen = new Set<DagScope>();
  return sites.filter((site) => {
    if (seen.has(site.scope)) return false;
    seen.add(site.scope);
    return true;
  });
}

function checkSource(
  context: SemanticContext,
  site: TaskSite,
  spec: TaskInputParameter,
  path: Path,
  report: Report,
): void {
  const { scope } = site;
  const where = `task ${site.name} runs this executor in ${scope.label}`;
  const input = spec.componentInputParameter;
  if (input !== undefined && !scope.component.inputDefinitions?.parameters?.[input]) {
    report([...path, 'componentInputParameter'], `${where}, ${missingInputMessage(context, scope, input)}`);
  }
  const output = spec.taskOutputParameter;
  const producer = output?.producerTask;
  if (producer !== undefined) {
    const task = scope.tasks[producer];
    if (!task) {
      report(
        [...path, 'taskOutputParameter', 'producerTask'],
        `${where}; ${missingProducerMessage(context, scope, producer)}`,
      );
    } else if (output?.outputParameterKey !== undefined) {
      const key = output.outputParameterKey;
      const ref = task.componentRef?.name ?? '';
      const outputs = context.components[ref]?.outputDefinitions;
      if (context.components[ref] && !outputs?.parameters?.[key]) {
        const message = outputs?.artifacts?.[key]
          ? `'${key}' is an output artifact of component ${ref} (task ${producer}), and this setting needs a parameter`
          : `component ${ref} (task ${producer}) has no output parameter '${key}'${didYouMean(key, context.namesOf(outputs?.parameters))}`;
        report([...path, 'taskOutputParameter', 'outputParameterKey'], message);
      }
    }
  }
  const status = spec.taskFinalStatus?.producerTask;
  if (status !== undefined && !scope.tasks[status]) {
    report(
      [...path, 'taskFinalStatus', 'producerTask'],
      `${where}; ${missingProducerMessage(context, scope, status)}`,
    );
  }
}

/**
 * `task 'x' does not exist in this DAG`; for a task of an enclosing DAG, the fix. A task in a ParallelFor or
 * condition is the usual case, and there the value has to come in as an input of the sub-DAG.
 */
function missingProducerMessage(context: SemanticContext, scope: DagScope, name: string): string {
  const outer = enclosingDags(context, scope).find((dag) => dag.tasks[name]);
  if (!outer || didYouMean(name, context.namesOf(scope.tasks)) !== '') {
    return missingTaskMessage(context, scope, name);
  }
  return `task '${name}' is in ${outer.label}, which encloses this DAG; KFP's driver looks only among this DAG's tasks, so pass the output in as an input of ${scope.label}`;
}

/** The DAGs that hold `scope`, directly or further out, through the tasks that run its component. */
function enclosingDags(context: SemanticContext, scope: DagScope): DagScope[] {
  const found: DagScope[] = [];
  const visit = (inner: DagScope): void => {
    const name = inner.path[0] === 'components' ? inner.path[1] : undefined;
    for (const site of name === undefined ? [] : (context.usersOf.get(name) ?? [])) {
      if (found.includes(site.scope) || site.scope === scope) continue;
      found.push(site.scope);
      visit(site.scope);
    }
  };
  visit(scope);
  return found;
}

/**
 * `which has no input parameter 'x'`, with the likely cause: a sub-DAG receives a pipeline input as
 * `pipelinechannel--x`, and an outer DAG's inputs are not visible inside it. The KFP SDK wrote such outer
 * references for tasks in a ParallelFor until kubeflow/pipelines#13128; the driver fails on them (#13078).
 */
function missingInputMessage(context: SemanticContext, scope: DagScope, name: string): string {
  const declared = scope.component.inputDefinitions;
  const head = `which has no input parameter '${name}'`;
  if (declared?.artifacts?.[name]) {
    return `${head}; '${name}' is an input artifact, and this setting needs a parameter`;
  }
  const channel = `pipelinechannel--${name}`;
  if (declared?.parameters?.[channel]) return `${head} (did you mean '${channel}'?)`;
  const suggestion = didYouMean(name, context.namesOf(declared?.parameters));
  if (suggestion !== '') return head + suggestion;
  const outer = enclosingDags(context, scope).find(
    (dag) => dag.component.inputDefinitions?.parameters?.[name],
  );
  if (!outer) return head;
  return `${head}; it is an input of ${outer.label}, but KFP's driver reads it from the DAG that holds the task, so pass it into ${scope.label}`;
}
