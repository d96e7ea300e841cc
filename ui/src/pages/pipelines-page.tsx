/**
 * Uploaded pipelines: the list, a pipeline's versions, a version's graph preview with a link to run it,
 * and an upload form for a compiled pipeline file.
 */
import { type FormEvent, useState } from 'react';
import { RunGraphView } from '../graph/run-graph-view.tsx';
import { API, getToken } from '../lib/api.ts';
import type { Pipeline, PipelineVersion, RunGraph } from '../lib/api-types.ts';
import { shortId, when } from '../lib/format.ts';
import { href, navigate } from '../lib/router.ts';
import { useApi } from '../lib/use-api.ts';

export function PipelinesPage({ pipelineId, versionId }: { pipelineId?: string; versionId?: string }) {
  const list = useApi<{ pipelines: Pipeline[] }>('/pipelines');
  // A new version of the pipeline already on screen must show in its version list: remount it.
  const [uploads, setUploads] = useState(0);
  const uploaded = () => {
    list.reload();
    setUploads((count) => count + 1);
  };
  return (
    <div className="page pipelines-page">
      <h1>Pipelines</h1>
      <UploadForm onUploaded={uploaded} />
      {list.error && <p className="error">{list.error.message}</p>}
      {list.data && <PipelineList pipelines={list.data.pipelines} selected={pipelineId} />}
      {pipelineId && (
        <VersionList key={`${pipelineId}/${uploads}`} pipelineId={pipelineId} selected={versionId} />
      )}
      {pipelineId && versionId && (
        <VersionPreview key={versionId} pipelineId={pipelineId} versionId={versionId} />
      )}
    </div>
  );
}

function PipelineList({ pipelines, selected }: { pipelines: Pipeline[]; selected?: string }) {
  if (pipelines.length === 0)
    return <p className="empty">No pipelines yet. Upload a compiled pipeline file above.</p>;
  return (
    <table className="grid" data-testid="pipeline-list">
      <thead>
        <tr>
          <th>Name</th>
          <th className="num">Versions</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {pipelines.map((pipeline) => (
          <tr
            key={pipeline.pipelineId}
            className={pipeline.pipelineId === selected ? 'selected-row' : undefined}
          >
            <td>
              <a href={href(['pipelines', pipeline.pipelineId])}>{pipeline.name}</a>
            </td>
            <td className="num">{pipeline.versionCount}</td>
            <td>{when(pipeline.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VersionList({ pipelineId, selected }: { pipelineId: string; selected?: string }) {
  const versions = useApi<{ versions: PipelineVersion[] }>(
    `/pipelines/${encodeURIComponent(pipelineId)}/versions`,
  );
  const first = versions.data?.versions[0];
  return (
    <section data-testid="version-list">
      <h2>Versions{first ? ` of ${first.pipeline}` : ''}</h2>
      {versions.error && <p className="error">{versions.error.message}</p>}
      {versions.data?.versions.length === 0 && <p className="empty">This pipeline has no versions.</p>}
      {versions.data && versions.data.versions.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Version</th>
              <th>Digest</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.data.versions.map((version) => (
              <tr
                key={version.pipelineVersionId}
                className={version.pipelineVersionId === selected ? 'selected-row' : undefined}
              >
                <td>
                  <a href={href(['pipelines', pipelineId], { version: version.pipelineVersionId })}>
                    {version.name}
                  </a>
                </td>
                <td className="mono muted">{shortId(version.digest)}</td>
                <td>{when(version.createdAt)}</td>
                <td>
                  <a href={href(['new'], { version: version.pipelineVersionId })}>Create run</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function VersionPreview({ pipelineId, versionId }: { pipelineId: string; versionId: string }) {
  const graph = useApi<RunGraph>(
    `/pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}/graph`,
  );
  return (
    <section data-testid="version-preview">
      <div className="toolbar">
        <h2>Graph preview</h2>
        <a
          className="button-link primary"
          href={href(['new'], { version: versionId })}
          data-testid="create-run"
        >
          Create run
        </a>
      </div>
      {graph.error && <p className="error">{graph.error.message}</p>}
      {!graph.data && !graph.error && <p className="muted">Loading graph…</p>}
      {graph.data && (
        // The graph view fills its parent, so the parent needs a real height.
        <div className="pipeline-graph">
          <RunGraphView graph={graph.data} />
        </div>
      )}
    </section>
  );
}

// ---- upload --------------------------------------------------------------------------------------------

interface UploadIssue {
  code: string;
  path: string;
  message: string;
  line?: number;
  column?: number;
}

class UploadError extends Error {
  constructor(
    message: string,
    readonly issues: UploadIssue[],
  ) {
    super(message);
  }
}

interface UploadResult {
  pipeline: Pipeline;
  version: PipelineVersion;
}

/**
 * A direct fetch rather than `post()`: ApiRequestError keeps only the message and field, and an invalid
 * pipeline is only fixable with the issue list (path, line) the server sends along.
 */
async function uploadPipeline(pipelineYaml: string, versionName: string | undefined): Promise<UploadResult> {
  const headers = new Headers({ 'Content-Type': 'application/json' });
  const token = getToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const response = await fetch(`${API}/pipelines`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ pipelineYaml, ...(versionName ? { versionName } : {}) }),
  });
  const body = (await response.json().catch(() => undefined)) as
    | (UploadResult & { error?: { message?: string; issues?: UploadIssue[] } })
    | undefined;
  if (!response.ok || !body) {
    throw new UploadError(
      body?.error?.message ?? `${response.status} ${response.statusText}`,
      body?.error?.issues ?? [],
    );
  }
  return body;
}

function UploadForm({ onUploaded }: { onUploaded: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [versionName, setVersionName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UploadError>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await uploadPipeline(await file.text(), versionName.trim() || undefined);
      onUploaded();
      navigate(['pipelines', result.pipeline.pipelineId], { version: result.version.pipelineVersionId });
    } catch (reason) {
      setError(
        reason instanceof UploadError ? reason : new UploadError(String((reason as Error).message), []),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card upload-form" onSubmit={submit} data-testid="upload-form">
      <div className="toolbar">
        <strong>Upload pipeline</strong>
        <input
          type="file"
          accept=".yaml,.yml,.json"
          aria-label="pipeline file"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <input
          placeholder="version name (optional)"
          aria-label="version name"
          value={versionName}
          onChange={(event) => setVersionName(event.target.value)}
        />
        <button type="submit" className="primary" disabled={!file || busy}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      {error && (
        <div className="error" data-testid="upload-error">
          {error.message}
          {error.issues.length > 0 && (
            <ul className="issues">
              {error.issues.map((issue) => (
                <li key={`${issue.path}/${issue.code}/${issue.message}`}>
                  <code>{issue.path || '(document)'}</code>
                  {issue.line !== undefined && (
                    <span className="muted">
                      {' '}
                      line {issue.line}
                      {issue.column !== undefined ? `:${issue.column}` : ''}
                    </span>
                  )}
                  : {issue.message} <span className="muted">[{issue.code}]</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
