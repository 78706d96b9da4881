/**
 * The editor's one query cache (TanStack Query) and its provider. The cache belongs to the signed-in
 * key: signing in with another key starts an empty one, so nothing read with an admin key shows to
 * an operator. Every write the API client makes refreshes the reads it changed (query-keys.ts).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useAuth } from '../auth/AuthContext';
import type { ApiClient } from './client';
import { staleAfter } from './query-keys';

/**
 * The defaults keep what the hand-made hooks did: a failed read shows its error at once (no silent
 * retries: the API answers 4xx on purpose, and a 5xx is shown with a "retry" the user controls), no
 * refetch on window focus or reconnect, and reads run even when the browser thinks it is offline
 * (the API is often on localhost).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, networkMode: 'always' },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/** Marks stale, and refetches if shown, every cached read a write through `api` changed. Returns the unsubscribe. */
export function refreshAfterWrites(api: ApiClient, client: QueryClient): () => void {
  return api.onWrite((write) => {
    for (const queryKey of staleAfter(write)) void client.invalidateQueries({ queryKey });
  });
}

/**
 * Inside AuthProvider: one cache per signed-in key. The tree below remounts with a new cache, since a
 * mounted query keeps the cache it started with.
 */
export function ApiDataProvider({ children }: { children: ReactNode }) {
  const { api, session } = useAuth();
  const owner = session?.key ?? '';
  const [cache, setCache] = useState(() => ({ owner, api, client: createQueryClient(), generation: 0 }));
  // Another key, or another client: start over in this same render (React's "adjusting state on a prop change").
  let current = cache;
  if (cache.owner !== owner || cache.api !== api) {
    current = { owner, api, client: createQueryClient(), generation: cache.generation + 1 };
    setCache(current);
  }
  const { client, generation } = current;
  useEffect(() => refreshAfterWrites(api, client), [api, client]);
  return (
    <QueryClientProvider key={generation} client={client}>
      {children}
    </QueryClientProvider>
  );
}
