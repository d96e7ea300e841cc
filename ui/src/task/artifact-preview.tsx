/**
 * A look inside an artifact without leaving the page: metrics as tables and charts, Markdown and HTML in
 * a sandboxed frame (no scripts, no same-origin, no network), the first rows of a dataset.
 */
import { marked } from 'marked';
import { useEffect, useState } from 'react';
import { artifactHead, downloadArtifact } from '../lib/api.ts';
import type { ArtifactRef } from '../lib/api-types.ts';
import { jsonText } from '../lib/format.ts';
import { href } from '../lib/router.ts';
import { MetricsMetadata } from './metrics-views.tsx';

const DATASET_HEAD_BYTES = 64 * 1024;
const DOCUMENT_BYTES = 2 * 1024 * 1024;
const HEAD_ROWS = 20;
// The frame is sandboxed already; this also stops the document from loading anything (tracking, exfiltration).
const FRAME_CSP =
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">';

export function ArtifactPreview({ artifact }: { artifact: ArtifactRef }) {
  const title = artifact.schemaTitle;
  const fileName = artifact.uri.split('/').pop() || artifact.name;
  return (
    <div className="card" data-testid="artifact" data-schema={title} style={{ marginBottom: 10 }}>
      <div className="toolbar" style={{ marginBottom: 6 }}>
        <strong>{artifact.name}</strong>
        <span className="muted">{title}</span>
        <span style={{ flex: 1 }} />
        <a href={href(['lineage'], { uri: artifact.uri })}>lineage</a>
        {artifact.artifactId && (
          <button
            type="button"
            className="link"
            onClick={() => void downloadArtifact(artifact.artifactId, fileName)}
          >
            download
          </button>
        )}
      </div>
      <div className="mono muted" style={{ wordBreak: 'break-all', marginBottom: 6 }}>
        {artifact.uri}
      </div>
      {title === 'system.Metrics' ||
      title === 'system.ClassificationMetrics' ||
      title === 'system.SlicedClassificationMetrics' ? (
        <MetricsMetadata metadata={artifact.metadata} />
      ) : title === 'system.Markdown' || title === 'system.HTML' ? (
        <DocumentFrame artifactId={artifact.artifactId} markdown={title === 'system.Markdown'} />
      ) : title === 'system.Dataset' ? (
        <DatasetHead artifactId={artifact.artifactId} />
      ) : (
        <MetadataList metadata={artifact.metadata} />
      )}
    </div>
  );
}

function MetadataList({ metadata }: { metadata: ArtifactRef['metadata'] }) {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return null;
  return (
    <dl className="kv">
      {entries.map(([key, value]) => (
        <Entry key={key} name={key} value={jsonText(value)} />
      ))}
    </dl>
  );
}

const Entry = ({ name, value }: { name: string; value: string }) => (
  <>
    <dt>{name}</dt>
    <dd>{value}</dd>
  </>
);

function useHead(artifactId: string, bytes: number) {
  const [head, setHead] = useState<{ text: string; more: boolean }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!artifactId) return;
    artifactHead(artifactId, bytes).then(setHead, (reason: Error) => setError(reason.message));
  }, [artifactId, bytes]);
  return { head, error };
}

function DocumentFrame({ artifactId, markdown }: { artifactId: string; markdown: boolean }) {
  const { head, error } = useHead(artifactId, DOCUMENT_BYTES);
  if (error) return <div className="error">{error}</div>;
  if (!head) return <p className="muted">Loading…</p>;
  const body = markdown ? (marked.parse(head.text, { async: false }) as string) : head.text;
  return (
    <iframe
      className="sandboxed"
      title="artifact preview"
      data-testid={markdown ? 'markdown-frame' : 'html-frame'}
      sandbox=""
      referrerPolicy="no-referrer"
      srcDoc={`${FRAME_CSP}${body}`}
    />
  );
}

function DatasetHead({ artifactId }: { artifactId: string }) {
  const { head, error } = useHead(artifactId, DATASET_HEAD_BYTES);
  if (error) return <div className="error">{error}</div>;
  if (!head) return <p className="muted">Loading…</p>;
  const lines = head.text.split(/\r?\n/).filter((line) => line !== '');
  const complete = head.more ? lines.slice(0, -1) : lines;
  const separator = [',', '\t', ';'].find((candidate) => (complete[0] ?? '').includes(candidate));
  if (!separator || complete.length < 2)
    return (
      <pre className="log" data-testid="dataset-head">
        {complete.slice(0, HEAD_ROWS).join('\n')}
      </pre>
    );
  const rows = complete.slice(0, HEAD_ROWS + 1).map((line) => line.split(separator));
  return (
    <div style={{ overflow: 'auto', maxHeight: 320 }}>
      <table className="grid" data-testid="dataset-head">
        <thead>
          <tr>
            {rows[0]!.map((cell, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
              <th key={index}>{cell}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(1).map((row, rowIndex) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <tr key={rowIndex}>
              {row.map((cell, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        first {rows.length - 1} rows{head.more ? ' (the file goes on)' : ''}
      </p>
    </div>
  );
}
