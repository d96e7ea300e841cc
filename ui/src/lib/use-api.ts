/** Loads JSON from the API for a component, again when `key` changes or `reload()` is called. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
}

export function useApi<T>(path: string | null, key: unknown = path): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `tick` decide when to load again
  useEffect(() => {
    if (path === null) return;
    const request = ++latest.current;
    api<T>(path).then(
      (value) => {
        if (request !== latest.current) return;
        setData(value);
        setError(undefined);
      },
      (reason: Error) => request === latest.current && setError(reason),
    );
  }, [key, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, reload };
}
