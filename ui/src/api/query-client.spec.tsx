// The query cache: which reads a write refreshes, and one cache per signed-in key.
import { useQueryClient } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { useAuth } from '../auth/AuthContext';
import { useAsync } from '../hooks';
import { fakeApi, Providers, signInAs } from '../test/render';
import { queryKeys, staleAfter } from './query-keys';

describe('staleAfter', () => {
  it('names the reads each write changes, and none for a write that changes nothing', () => {
    expect(staleAfter({ method: 'POST', path: '/flows/f1/publish' })).toEqual([
      ['flows', 'list'],
      ['flows', 'detail', 'f1'],
      ['flows', 'versions', 'f1'],
    ]);
    expect(staleAfter({ method: 'PUT', path: '/flows/f1' })).toEqual([
      ['flows', 'list'],
      ['flows', 'detail', 'f1'],
    ]);
    expect(staleAfter({ method: 'POST', path: '/runs/r9/cancel' })).toEqual([
      ['runs', 'list'],
      ['runs', 'detail', 'r9'],
    ]);
    expect(staleAfter({ method: 'DELETE', path: '/api-keys/k1' })).toEqual([['api-keys']]);
    // Validating stores nothing; a GET is never a write.
    expect(staleAfter({ method: 'POST', path: '/flows/f1/validate' })).toEqual([]);
    expect(staleAfter({ method: 'GET', path: '/flows/f1' })).toEqual([]);
  });
});

function setup() {
  signInAs('editor');
  const api = fakeApi();
  let versions = 1;
  api.on('GET', '/flows/f1/versions', () => ({ items: Array.from({ length: versions }, (_, i) => ({ version: i + 1 })) }));
  api.on('POST', '/flows/f1/publish', () => ({ flowId: 'f1', version: ++versions }));
  api.on('POST', '/flows/f1/validate', () => ({ valid: true, errors: [], warnings: [] }));
  api.on('GET', '/me', () => ({ id: 'k', name: 'clave', role: 'editor', flowIds: null, rateLimit: 50 }));
  const wrapper = ({ children }: { children: ReactNode }) => <Providers api={api}>{children}</Providers>;
  const reads = () => api.calls.filter((c) => c.method === 'GET' && c.path === '/flows/f1/versions').length;
  return { api, wrapper, reads };
}

describe('writes refresh the reads they change', () => {
  it('refetches a shared read after a write through the client, wherever the write was made', async () => {
    const { api, wrapper, reads } = setup();
    const { result } = renderHook(() => useAsync(() => api.client.listVersions('f1'), [], queryKeys.flows.versions('f1')), { wrapper });
    await waitFor(() => expect(result.current.data?.items).toHaveLength(1));
    await act(() => api.client.validateFlow('f1', 'es'));
    expect(reads()).toBe(1);
    await act(() => api.client.publishFlow('f1', 'es'));
    await waitFor(() => expect(result.current.data?.items).toHaveLength(2));
    expect(reads()).toBe(2);
  });

  it('leaves a private read alone (the component reloads it itself, as before)', async () => {
    const { api, wrapper, reads } = setup();
    const { result } = renderHook(() => useAsync(() => api.client.listVersions('f1'), ['f1']), { wrapper });
    await waitFor(() => expect(result.current.data?.items).toHaveLength(1));
    await act(() => api.client.publishFlow('f1', 'es'));
    await new Promise((r) => setTimeout(r, 20));
    expect(reads()).toBe(1);
  });
});

describe('ApiDataProvider', () => {
  it('starts an empty cache when another key signs in: nothing read with the old key shows', async () => {
    const { api, wrapper } = setup();
    let mes = 0;
    api.on('GET', '/me', () => ({ id: 'k', name: `clave ${++mes}`, role: 'editor', flowIds: null, rateLimit: 50 }));
    const shown: (string | undefined)[] = [];
    const { result } = renderHook(
      () => {
        const me = useAsync(() => api.client.me(), [], queryKeys.me());
        shown.push(me.data?.name);
        return { auth: useAuth(), client: useQueryClient() };
      },
      { wrapper },
    );
    await waitFor(() => expect(shown).toContain('clave 1'));
    const before = result.current.client;
    act(() => result.current.auth.signOut());
    const switched = shown.length;
    await act(() => result.current.auth.signIn('otra-clave', false));
    // Read again into the new cache (signIn's own GET /me does not go through the cache).
    await waitFor(() => expect(shown[shown.length - 1]).toMatch(/^clave [2-9]$/));
    expect(result.current.client).not.toBe(before);
    expect(shown.slice(switched)).not.toContain('clave 1');
  });
});
