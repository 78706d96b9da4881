// The data hooks the pages share (over TanStack Query): paging, reads, reloads and row actions.
import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { StrictMode, type ReactNode } from 'react';
import { createQueryClient } from './api/query-client';
import { useAction, useAsync, useCursorPages } from './hooks';

type Page = { items: string[]; nextCursor: string | null };

/** Each test gets an empty cache, as each signed-in key does. */
function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={createQueryClient()}>{children}</QueryClientProvider>;
}

/** A promise settled from outside, to decide which of two loads answers first. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A fake API over `pages[filter]`, paged two by two; calls can be held to reorder them. */
function fakeApi(data: Record<string, string[]>) {
  const calls: { filter: string; cursor?: string }[] = [];
  let failNext = false;
  const load = async (filter: string, cursor?: string): Promise<Page> => {
    calls.push({ filter, cursor });
    if (failNext) {
      failNext = false;
      throw new Error('network down');
    }
    const start = cursor ? Number(cursor) : 0;
    const all = data[filter] ?? [];
    return { items: all.slice(start, start + 2), nextCursor: start + 2 < all.length ? String(start + 2) : null };
  };
  return { load, calls, failOnce: () => (failNext = true) };
}

describe('useCursorPages', () => {
  it('appends the next pages and knows when there are no more', async () => {
    const api = fakeApi({ a: ['1', '2', '3', '4', '5'] });
    const { result } = renderHook(() => useCursorPages((cursor) => api.load('a', cursor), ['a']), { wrapper });
    await waitFor(() => expect(result.current.items).toEqual(['1', '2']));
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toEqual(['1', '2', '3', '4']));
    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toEqual(['1', '2', '3', '4', '5']));
    expect(result.current.hasMore).toBe(false);
    expect(api.calls.map((c) => c.cursor)).toEqual([undefined, '2', '4']);
  });

  it('starts over when the filters change', async () => {
    const api = fakeApi({ a: ['1', '2', '3'], b: ['x'] });
    const { result, rerender } = renderHook(({ f }) => useCursorPages((cursor) => api.load(f, cursor), [f]), { initialProps: { f: 'a' }, wrapper });
    await waitFor(() => expect(result.current.items).toEqual(['1', '2']));
    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toEqual(['1', '2', '3']));
    rerender({ f: 'b' });
    await waitFor(() => expect(result.current.items).toEqual(['x']));
    expect(result.current.hasMore).toBe(false);
    expect(api.calls.filter((c) => c.filter === 'b').map((c) => c.cursor)).toEqual([undefined]);
  });

  it('drops a page that arrives for the old filters', async () => {
    const late = deferred<Page>();
    const load = (filter: string, cursor?: string): Promise<Page> =>
      filter === 'a' && cursor ? late.promise : Promise.resolve(filter === 'a' ? { items: ['1', '2'], nextCursor: '2' } : { items: ['x'], nextCursor: null });
    const { result, rerender } = renderHook(({ f }) => useCursorPages((cursor) => load(f, cursor), [f]), { initialProps: { f: 'a' }, wrapper });
    await waitFor(() => expect(result.current.items).toEqual(['1', '2']));
    let more!: Promise<void>;
    act(() => void (more = result.current.loadMore()));
    rerender({ f: 'b' });
    await waitFor(() => expect(result.current.items).toEqual(['x']));
    await act(async () => {
      late.resolve({ items: ['3'], nextCursor: null });
      await more;
    });
    expect(result.current.items).toEqual(['x']);
  });

  it('shows a failed "load more" without losing the pages it has', async () => {
    const api = fakeApi({ a: ['1', '2', '3'] });
    const { result } = renderHook(() => useCursorPages((cursor) => api.load('a', cursor), ['a']), { wrapper });
    await waitFor(() => expect(result.current.items).toEqual(['1', '2']));
    api.failOnce();
    await act(() => result.current.loadMore());
    await waitFor(() => expect((result.current.moreError as Error | null)?.message).toBe('network down'));
    expect(result.current.error).toBeNull();
    expect(result.current.items).toEqual(['1', '2']);
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toEqual(['1', '2', '3']));
    expect(result.current.moreError).toBeNull();
  });
});

describe('useAsync', () => {
  it('keeps only the answer for the latest deps, showing the last value meanwhile', async () => {
    const answers: Record<string, ReturnType<typeof deferred<string>>> = { a: deferred(), b: deferred() };
    const { result, rerender } = renderHook(({ id }) => useAsync(() => answers[id].promise, [id]), { initialProps: { id: 'a' }, wrapper });
    expect(result.current.loading).toBe(true);
    rerender({ id: 'b' });
    await act(async () => answers.b.resolve('B'));
    await waitFor(() => expect(result.current.data).toBe('B'));
    await act(async () => answers.a.resolve('A'));
    expect(result.current.data).toBe('B');
    expect(result.current.loading).toBe(false);
  });

  it('shows a failure at once (no retries), and a reload that succeeds clears it', async () => {
    let calls = 0;
    const load = async () => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return 'ok';
    };
    const { result } = renderHook(() => useAsync(load, []), { wrapper });
    await waitFor(() => expect((result.current.error as Error | null)?.message).toBe('boom'));
    expect(calls).toBe(1);
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.data).toBe('ok'));
    expect(result.current.error).toBeNull();
  });

  it('takes a fresher value from setData (a poll) without loading again', async () => {
    let calls = 0;
    const { result } = renderHook(() => useAsync(async () => `v${++calls}`, ['x']), { wrapper });
    await waitFor(() => expect(result.current.data).toBe('v1'));
    act(() => result.current.setData('polled'));
    await waitFor(() => expect(result.current.data).toBe('polled'));
    expect(calls).toBe(1);
  });

  it('keeps its value under StrictMode (the dev build mounts, unmounts and mounts again)', async () => {
    const strict = ({ children }: { children: ReactNode }) => <StrictMode>{wrapper({ children })}</StrictMode>;
    const { result } = renderHook(() => useAsync(async () => 'v', ['x']), { wrapper: strict });
    await waitFor(() => expect(result.current.data).toBe('v'));
    await new Promise((r) => setTimeout(r, 20));
    expect(result.current.data).toBe('v');
  });

  it('does not share a private read between two components with the same deps', async () => {
    let calls = 0;
    const load = async () => ++calls;
    const { result } = renderHook(() => [useAsync(load, ['same']), useAsync(load, ['same'])], { wrapper });
    await waitFor(() => expect(result.current.map((r) => r.data).sort()).toEqual([1, 2]));
  });
});

describe('useAction', () => {
  it('is busy while it runs, keeps the error, and the next try clears it', async () => {
    const { result } = renderHook(() => useAction(), { wrapper });
    const first = deferred<void>();
    let outcome!: Promise<boolean>;
    act(() => void (outcome = result.current.run(() => first.promise)));
    await waitFor(() => expect(result.current.busy).toBe(true));
    await act(async () => first.reject(new Error('refused')));
    expect(await outcome).toBe(false);
    await waitFor(() => expect(result.current.busy).toBe(false));
    expect((result.current.error as Error).message).toBe('refused');
    let ok!: boolean;
    await act(async () => void (ok = await result.current.run(async () => undefined)));
    expect(ok).toBe(true);
    await waitFor(() => expect(result.current.error).toBeNull());
  });
});
