/**
 * Every key of the editor's query cache (TanStack Query), and which keys a write makes stale. A
 * screen that reads something another screen changes names it with one of these keys; a read only
 * one component makes (a page's own combination of calls) uses `queryKeys.own`.
 */
import type { QueryKey } from '@tanstack/react-query';
import type { ApiWrite } from './client';
import type { RunFilters } from './types';

export const queryKeys = {
  me: () => ['me'] as const,
  flows: {
    lists: () => ['flows', 'list'] as const,
    list: (filters: Record<string, unknown>) => ['flows', 'list', filters] as const,
    detail: (flowId: string) => ['flows', 'detail', flowId] as const,
    versions: (flowId: string) => ['flows', 'versions', flowId] as const,
  },
  runs: {
    lists: () => ['runs', 'list'] as const,
    list: (filters: RunFilters) => ['runs', 'list', filters] as const,
    detail: (runId: string) => ['runs', 'detail', runId] as const,
  },
  apiKeys: () => ['api-keys'] as const,
  /**
   * A read private to one mounted component (`instance` is its React id), reloaded when `deps`
   * change: what `useAsync(load, deps)` did before the cache existed. No write invalidates it.
   */
  own: (instance: string, deps: readonly unknown[]) => ['own', instance, ...deps] as const,
};

/** Which reads each write makes stale, by route; a route not listed (validate, KPIs) changes no read. */
const STALE_AFTER: { method: string; route: RegExp; stale: (id: string) => QueryKey[] }[] = [
  { method: 'POST', route: /^\/flows$/, stale: () => [queryKeys.flows.lists()] },
  { method: 'PUT', route: /^\/flows\/([^/]+)$/, stale: (id) => [queryKeys.flows.lists(), queryKeys.flows.detail(id)] },
  { method: 'POST', route: /^\/flows\/([^/]+)\/(archive|duplicate)$/, stale: (id) => [queryKeys.flows.lists(), queryKeys.flows.detail(id)] },
  { method: 'POST', route: /^\/flows\/([^/]+)\/publish$/, stale: (id) => [queryKeys.flows.lists(), queryKeys.flows.detail(id), queryKeys.flows.versions(id)] },
  { method: 'POST', route: /^\/flows\/([^/]+)\/(runs|test-runs)$/, stale: () => [queryKeys.runs.lists()] },
  { method: 'POST', route: /^\/runs\/([^/]+)\/(messages|events|cancel)$/, stale: (id) => [queryKeys.runs.lists(), queryKeys.runs.detail(id)] },
  { method: 'POST', route: /^\/events$/, stale: () => [queryKeys.runs.lists()] },
  { method: 'POST', route: /^\/api-keys$/, stale: () => [queryKeys.apiKeys()] },
  { method: 'DELETE', route: /^\/api-keys\/([^/]+)$/, stale: () => [queryKeys.apiKeys()] },
];

/** The keys (prefixes) whose cached reads `write` made stale. */
export function staleAfter(write: ApiWrite): QueryKey[] {
  const path = write.path.split('?')[0];
  for (const rule of STALE_AFTER) {
    const match = write.method === rule.method ? rule.route.exec(path) : null;
    if (match) return rule.stale(match[1] ?? '');
  }
  return [];
}
