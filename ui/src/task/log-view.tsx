/**
 * A task's log: the whole text once the run is over, else a stream that follows new output and new
 * attempts. The text stays after the task ends (it is read from the attempt's log file, not from a pod).
 */
import { useEffect, useRef, useState } from 'react';
import { API, streamText } from '../lib/api.ts';

const MAX_CHARS = 2_000_000;

export function LogView({ runId, taskPath, follow }: { runId: string; taskPath: string; follow: boolean }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [ended, setEnded] = useState(false);
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    setText('');
    setEnded(false);
    const path = `/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(taskPath)}/logs${follow ? '?follow=true' : ''}`;
    streamText(
      path,
      (chunk) => setText((previous) => (previous + chunk).slice(-MAX_CHARS)),
      controller.signal,
    ).then(
      () => setEnded(true),
      (reason: Error) => controller.signal.aborted || setError(reason.message),
    );
    return () => controller.abort();
  }, [runId, taskPath, follow]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll on new text
  useEffect(() => {
    if (box.current && stick.current) box.current.scrollTop = box.current.scrollHeight;
  }, [text]);

  return (
    <div>
      <div className="toolbar">
        <span className="muted">{follow && !ended ? 'following…' : ended ? 'complete' : 'loading…'}</span>
        <a
          href={`${API}/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(taskPath)}/logs`}
          target="_blank"
          rel="noreferrer"
        >
          raw
        </a>
      </div>
      {error && <div className="error">{error}</div>}
      <pre
        className="log"
        data-testid="task-log"
        ref={box}
        onScroll={(event) => {
          const element = event.currentTarget;
          stick.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 20;
        }}
      >
        {text || (ended ? '(no output)' : '')}
      </pre>
    </div>
  );
}
