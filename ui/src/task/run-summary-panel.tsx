/** What a run produced, shown when no node is selected: parameters, outputs, metrics, models, failures. */
import type { Run } from '../lib/api-types.ts';
import { jsonText } from '../lib/format.ts';
import { href } from '../lib/router.ts';
import { MetricsMetadata } from './metrics-views.tsx';

export function RunSummaryPanel({ run }: { run: Run }) {
  const parameters = Object.entries(run.parameters);
  const outputs = Object.entries(run.outputs.parameters);
  return (
    <div data-testid="run-summary">
      <h2>Run summary</h2>
      <p className="muted">Select a task in the graph to see its inputs, log and artifacts.</p>
      {run.error && <div className="error">{run.error}</div>}
      {run.failures.map((failure) => (
        <div key={failure.task} className="card" style={{ marginBottom: 8 }} data-testid="failure">
          <a href={href(['runs', run.runId], { task: failure.task })}>{failure.task}</a> failed (attempt{' '}
          {failure.attempt}
          {failure.exitCode === null ? '' : `, exit ${failure.exitCode}`}): {failure.message}
          {failure.logTail.length > 0 && <pre className="log">{failure.logTail.join('\n')}</pre>}
        </div>
      ))}
      <h3>Parameters</h3>
      {parameters.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <dl className="kv">
          {parameters.map(([name, value]) => (
            <KeyValue key={name} name={name} value={jsonText(value)} />
          ))}
        </dl>
      )}
      {outputs.length > 0 && (
        <>
          <h3>Outputs</h3>
          <dl className="kv">
            {outputs.map(([name, value]) => (
              <KeyValue key={name} name={name} value={jsonText(value)} />
            ))}
          </dl>
        </>
      )}
      {run.metrics.length > 0 && <h3>Metrics</h3>}
      {run.metrics.map((metric) => (
        <div key={`${metric.task}/${metric.name}`} className="card" style={{ marginBottom: 8 }}>
          <a href={href(['runs', run.runId], { task: metric.task })}>
            {metric.task}/{metric.name}
          </a>
          <MetricsMetadata metadata={metric.metadata} />
        </div>
      ))}
      {run.models.length > 0 && <h3>Models</h3>}
      {run.models.map((model) => (
        <div key={model.uri} className="card" style={{ marginBottom: 8 }}>
          <a href={href(['runs', run.runId], { task: model.task })}>
            {model.task}/{model.name}
          </a>{' '}
          {model.final ? <strong>result</strong> : <span className="muted">intermediate</span>}{' '}
          <a href={href(['lineage'], { uri: model.uri })}>lineage</a>
          <div className="mono muted" style={{ wordBreak: 'break-all' }}>
            {model.uri}
          </div>
        </div>
      ))}
    </div>
  );
}

const KeyValue = ({ name, value }: { name: string; value: string }) => (
  <>
    <dt>{name}</dt>
    <dd>
      <code>{value}</code>
    </dd>
  </>
);
