/** Small data hooks shared by the pages. */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (data: T | undefined) => void;
}

/** Runs `load` when `deps` change; the latest call wins. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setLoading(true);
    load().then(
      (value) => {
        if (call !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err) => {
        if (call !== latest.current) return;
        setError(err);
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

/** Calls `fn` every `ms` while `active`. */
export function useInterval(fn: () => void, ms: number, active = true): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => ref.current(), ms);
    return () => clearInterval(id);
  }, [ms, active]);
}

/** A value that follows `value` after `ms` without changes. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return debounced;
}

export interface CursorPagesState<T> extends AsyncState<{ items: T[]; nextCursor: string | null }> {
  /** The first page and every page loaded after it. */
  items: T[];
  /** A next page exists. */
  hasMore: boolean;
  loadMore: () => Promise<void>;
  /** Why the last "load more" failed, if it did (the first page's error is `error`). */
  moreError: unknown;
}

/**
 * A list the API pages by cursor (flows, runs): the first page loads when `deps` change, "load more"
 * appends the next one. New filters start over, and a page that arrives for old filters is dropped.
 */
export function useCursorPages<T>(load: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>, deps: unknown[]): CursorPagesState<T> {
  const first = useAsync(() => load(), deps);
  const [extra, setExtra] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const generation = useRef(0);
  useEffect(() => {
    generation.current++;
    setExtra([]);
    setMoreError(null);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);
  const loadMore = async () => {
    if (!cursor) return;
    const mine = generation.current;
    try {
      const next = await load(cursor);
      if (mine !== generation.current) return;
      setExtra((e) => [...e, ...next.items]);
      setCursor(next.nextCursor);
      setMoreError(null);
    } catch (err) {
      if (mine === generation.current) setMoreError(err);
    }
  };
  return { ...first, items: [...(first.data?.items ?? []), ...extra], hasMore: cursor !== null, loadMore, moreError };
}
