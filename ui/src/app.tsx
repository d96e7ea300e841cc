/** The shell: navigation, the token prompt when the server asks for one, and the page for the route. */
import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { ApiRequestError, getToken, setToken } from './lib/api.ts';
import { href, useRoute } from './lib/router.ts';
import { RunPage } from './pages/run-page.tsx';
import { RunsPage } from './pages/runs-page.tsx';

// The pages people open first load with the app; the others (and their charts) when first visited.
const ComparePage = lazy(() =>
  import('./pages/compare-page.tsx').then((module) => ({ default: module.ComparePage })),
);
const LineagePage = lazy(() =>
  import('./pages/lineage-page.tsx').then((module) => ({ default: module.LineagePage })),
);
const NewRunPage = lazy(() =>
  import('./pages/new-run-page.tsx').then((module) => ({ default: module.NewRunPage })),
);
const PipelinesPage = lazy(() =>
  import('./pages/pipelines-page.tsx').then((module) => ({ default: module.PipelinesPage })),
);
const SchedulesPage = lazy(() =>
  import('./pages/schedules-page.tsx').then((module) => ({ default: module.SchedulesPage })),
);

export function App() {
  const route = useRoute();
  const [needsToken, setNeedsToken] = useState(false);
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      if (event.reason instanceof ApiRequestError && event.reason.status === 401) setNeedsToken(true);
    };
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, []);
  const [section = 'runs', id] = route.segments;
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href={href(['runs'])}>
          Sluice
        </a>
        <nav>
          <a className={section === 'runs' || section === 'compare' ? 'active' : ''} href={href(['runs'])}>
            Runs
          </a>
          <a
            className={section === 'pipelines' || section === 'new' ? 'active' : ''}
            href={href(['pipelines'])}
          >
            Pipelines
          </a>
          <a className={section === 'schedules' ? 'active' : ''} href={href(['schedules'])}>
            Schedules
          </a>
          <a className={section === 'lineage' ? 'active' : ''} href={href(['lineage'])}>
            Lineage
          </a>
        </nav>
        <TokenButton onNeed={needsToken} onDone={() => setNeedsToken(false)} />
      </header>
      <main>
        <Suspense fallback={<p className="empty">Loading…</p>}>
          {section === 'runs' && id ? (
            <RunPage key={id} runId={id} query={route.query} />
          ) : section === 'runs' ? (
            <RunsPage />
          ) : section === 'compare' ? (
            <ComparePage runIds={(route.query.get('runs') ?? '').split(',').filter(Boolean)} />
          ) : section === 'pipelines' ? (
            <PipelinesPage pipelineId={id} versionId={route.query.get('version') ?? undefined} />
          ) : section === 'new' ? (
            <NewRunPage versionId={route.query.get('version') ?? undefined} />
          ) : section === 'schedules' ? (
            <SchedulesPage scheduleId={id} />
          ) : section === 'lineage' ? (
            <LineagePage uri={route.query.get('uri') ?? undefined} />
          ) : (
            <p className="empty">No page here. Go to the runs list.</p>
          )}
        </Suspense>
      </main>
    </div>
  );
}

function TokenButton({ onNeed, onDone }: { onNeed: boolean; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  useEffect(() => {
    if (onNeed) setOpen(true);
  }, [onNeed]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setToken(value.trim() || null);
    setOpen(false);
    onDone();
    window.location.reload();
  };
  if (!open)
    return (
      <button type="button" className="link" onClick={() => setOpen(true)}>
        {getToken() ? 'Token set' : 'Token'}
      </button>
    );
  return (
    <form className="token-form" onSubmit={submit}>
      <label>
        This server needs its SLUICE_TOKEN{' '}
        <input type="password" value={value} onChange={(event) => setValue(event.target.value)} />
      </label>
      <button type="submit">Use token</button>
    </form>
  );
}
