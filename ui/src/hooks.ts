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
  type Page = { items: T[]; nextCursor: string | null };
  const first = useAsync(() => load(), deps);
  // The pages after the first belong to one first page (`base`): a new first page (new filters, a
  // reload) starts over in the same render, and a page that arrives for an old one is dropped.
  const [more, setMore] = useState<{ base: Page | undefined; items: T[]; cursor: string | null; error: unknown }>({ base: undefined, items: [], cursor: null, error: null });
  const current = more.base === first.data ? more : { base: first.data, items: [] as T[], cursor: first.data?.nextCursor ?? null, error: null };
  const latest = useRef(first.data);
  latest.current = first.data;
  const loadMore = async () => {
    const from = current;
    if (!from.cursor) return;
    try {
      const next = await load(from.cursor);
      if (latest.current !== from.base) return;
      setMore({ base: from.base, items: [...from.items, ...next.items], cursor: next.nextCursor, error: null });
    } catch (err) {
      if (latest.current === from.base) setMore({ ...from, error: err });
    }
  };
  return { ...first, items: [...(first.data?.items ?? []), ...current.items], hasMore: current.cursor !== null, loadMore, moreError: current.error };
}

/**
 * A row's action (archive, duplicate, revoke): `busy` while it runs, the error it threw (cleared by
 * the next try), and `run(fn)` that resolves to whether it succeeded.
 */
export function useAction(): { busy: boolean; error: unknown; run: (fn: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
