// useCursorPages: the paging shared by the flows and runs lists.
import { act, renderHook, waitFor } from '@testing-library/react';
import { useCursorPages } from './hooks';

type Page = { items: string[]; nextCursor: string | null };

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
    const { result } = renderHook(() => useCursorPages((cursor) => api.load('a', cursor), ['a']));
    await waitFor(() => expect(result.current.items).toEqual(['1', '2']));
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual(['1', '2', '3', '4']);
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual(['1', '2', '3', '4', '5']);
    expect(result.current.hasMore).toBe(false);
    expect(api.calls.map((c) => c.cursor)).toEqual([undefined, '2', '4']);
  });

  it('starts over when the filters change', async () => {
    const api = fakeApi({ a: ['1', '2', '3'], b: ['x'] });
    const { result, rerender } = renderHook(({ f }) => useCursorPages((cursor) => api.load(f, cursor), [f]), { initialProps: { f: 'a' } });
    await waitFor(() => expect(result.current.items).toEqual(['1', '2']));
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual(['1', '2', '3']);
    rerender({ f: 'b' });
    await waitFor(() => expect(result.current.items).toEqual(['x']));
    expect(result.current.hasMore).toBe(false);
  });

  it('shows a failed "load more" without losing the pages it has', async () => {
    const api = fakeApi({ a: ['1', '2', '3'] });
    const { result } = renderHook(() => useCursorPages((cursor) => api.load('a', cursor), ['a']));
    await waitFor(() => expect(result.current.items).toEqual(['1', '2']));
    api.failOnce();
    await act(() => result.current.loadMore());
    expect((result.current.moreError as Error).message).toBe('network down');
    expect(result.current.items).toEqual(['1', '2']);
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    expect(result.current.items).toEqual(['1', '2', '3']);
    expect(result.current.moreError).toBeNull();
  });
});
