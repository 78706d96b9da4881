/**
 * The data hooks the pages share, over TanStack Query (the cache and its keys: api/query-client.tsx,
 * api/query-keys.ts). They keep the shapes the pages were written against: `useAsync` is a query,
 * `useCursorPages` an infinite query, `useAction` a mutation.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { queryKeys } from './api/query-keys';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  /** A load is under way (the first one, a reload, or one for new `deps`). */
  loading: boolean;
  reload: () => void;
  /** Replaces the cached value (a poll's fresher answer, an edit the server confirmed). */
  setData: (data: T | undefined) => void;
}

/**
 * The cache key of a read: `key` when the read is shared (a query key from api/query-keys.ts, which
 * writes refresh), else one private to this component that changes with `deps`.
 */
function useKey(deps: readonly unknown[], key: QueryKey | undefined): { queryKey: QueryKey; own: boolean } {
  const instance = useId();
  return key ? { queryKey: key, own: false } : { queryKey: queryKeys.own(instance, deps), own: true };
}

/**
 * Runs `load` when `deps` change (or `key`, for a shared read); the latest call wins, and the last
 * value stays shown while the next one loads.
 */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[], key?: QueryKey): AsyncState<T> {
  const client = useQueryClient();
  const { queryKey, own } = useKey(deps, key);
  const query = useQuery({
    queryKey,
    queryFn: () => load(),
    placeholderData: keepPreviousData,
    // A private read can never be asked for again once its component is gone.
    ...(own ? { gcTime: 0 } : {}),
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  const setData = (data: T | undefined) => void client.setQueryData(queryKey, data);
  return { data: query.data, error: query.error, loading: query.isFetching, reload, setData };
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

type CursorPage<T> = { items: T[]; nextCursor: string | null };

export interface CursorPagesState<T> extends AsyncState<CursorPage<T>> {
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
 * appends the next one. New filters start over, and a page that arrives for old filters is dropped
 * (it lands in the old filters' cache entry). `reload` fetches the pages shown again.
 */
export function useCursorPages<T>(load: (cursor?: string) => Promise<CursorPage<T>>, deps: unknown[], key?: QueryKey): CursorPagesState<T> {
  const client = useQueryClient();
  const { queryKey, own } = useKey(deps, key);
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => load(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    ...(own ? { gcTime: 0 } : {}),
  });
  const { refetch, fetchNextPage, hasNextPage, isFetchNextPageError, isPlaceholderData } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  // While the old filters' pages stand in for the new ones, there is nothing to continue yet.
  const loadMore = useCallback(async () => {
    if (hasNextPage && !isPlaceholderData) await fetchNextPage();
  }, [hasNextPage, isPlaceholderData, fetchNextPage]);
  const setData = (page: CursorPage<T> | undefined) =>
    void client.setQueryData<InfiniteData<CursorPage<T>, string | undefined>>(queryKey, page && { pages: [page], pageParams: [undefined] });
  return {
    data: query.data?.pages[0],
    error: isFetchNextPageError ? null : query.error,
    loading: query.isFetching && !query.isFetchingNextPage,
    reload,
    setData,
    items: query.data?.pages.flatMap((page) => page.items) ?? [],
    hasMore: hasNextPage && !isPlaceholderData,
    loadMore,
    moreError: isFetchNextPageError ? query.error : null,
  };
}

/**
 * A row's action (archive, duplicate, revoke): `busy` while it runs, the error it threw (cleared by
 * the next try), and `run(fn)` that resolves to whether it succeeded. What the action changed is
 * refreshed by the write itself (api/query-client.tsx), or by the caller's `onChanged`.
 */
export function useAction(): { busy: boolean; error: unknown; run: (fn: () => Promise<unknown>) => Promise<boolean> } {
  const { mutateAsync, isPending, error } = useMutation({ mutationFn: (fn: () => Promise<unknown>) => fn() });
  const run = useCallback(
    (fn: () => Promise<unknown>) =>
      mutateAsync(fn).then(
        () => true,
        () => false,
      ),
    [mutateAsync],
  );
  return { busy: isPending, error, run };
}
