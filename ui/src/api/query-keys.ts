/**
 * Every key of the editor's query cache (TanStack Query), and which keys a write makes stale. A
 * screen names each read with one of these keys, so a write anywhere refreshes it on every screen
 * that shows it (api/query-client.tsx). Keys nest: a write that makes `['flows', 'detail', id]`
 * stale also refreshes every read keyed below it (a run's graph of that flow, say).
 */
import type { QueryKey } from '@tanstack/react-query';
import type { ApiWrite } from './client';
import type { RunFilters } from './types';

/** A KPI period: ISO instants, the end exclusive. */
type Period = { from?: string; to?: string };

export const queryKeys = {
  /** The signed-in key (`GET /me`). */
  me: () => ['me'] as const,
  flows: {
    /** Every list of flows, whatever its filters or paging: the prefix a flow's write makes stale. */
    lists: () => ['flows', 'list'] as const,
    /** One page of flows (`useAsync`): a menu of flows. */
    list: (filters: { q?: string; status?: string; limit?: number }) => ['flows', 'list', 'page', filters] as const,
    /** The flows list paged by cursor (`useCursorPages`): kept apart from single pages, as its cache holds pages. */
    pages: (filters: { q?: string; status?: string; limit?: number }) => ['flows', 'list', 'pages', filters] as const,
    /** Every flow, all pages read at once: names and choices (an API key's flows). */
    all: () => ['flows', 'list', 'all'] as const,
    detail: (flowId: string) => ['flows', 'detail', flowId] as const,
    /** What a run's page draws of its flow (the run's version, or the draft of a test run, and the flow's name). */
    runGraph: (flowId: string, version: number | null) => ['flows', 'detail', flowId, 'run-graph', version] as const,
    /** What the dashboard draws its traffic on: the latest published version, else the draft. */
    trafficGraph: (flowId: string) => ['flows', 'detail', flowId, 'traffic-graph'] as const,
    versions: (flowId: string) => ['flows', 'versions', flowId] as const,
  },
  runs: {
    /** Every list of runs, whatever its filters or paging. */
    lists: () => ['runs', 'list'] as const,
    /** One page of runs (`useAsync`): the dashboard's recent runs. */
    list: (filters: RunFilters) => ['runs', 'list', 'page', filters] as const,
    /** The runs list paged by cursor (`useCursorPages`). */
    pages: (filters: RunFilters) => ['runs', 'list', 'pages', filters] as const,
    detail: (runId: string) => ['runs', 'detail', runId] as const,
  },
  kpis: {
    /** Every KPI read. */
    all: () => ['kpis'] as const,
    report: (query: Period & { flowId?: string; interval?: string }) => ['kpis', 'report', query] as const,
    experiments: (flowId: string, period: Period) => ['kpis', 'experiments', flowId, period] as const,
    traffic: (flowId: string, period: Period) => ['kpis', 'traffic', flowId, period] as const,
    /** A flow's runs per day in the flows list (from the KPIs, or counted from the runs on an older server). */
    flowActivity: (flowId: string, published: boolean) => ['kpis', 'flow-activity', flowId, published] as const,
  },
  apiKeys: () => ['api-keys'] as const,
  /**
   * A read private to one mounted component (`instance` is its React id), reloaded when `deps`
   * change: what `useAsync(load, deps)` does without a key. No write refreshes it.
   */
  own: (instance: string, deps: readonly unknown[]) => ['own', instance, ...deps] as const,
};

/** One row of the table: a write, by method and route (`$1` the id in it), and the reads it makes stale. */
interface WriteRule {
  method: string;
  route: RegExp;
  stale: (id: string) => QueryKey[];
}

const runChanged = (runId: string) => [queryKeys.runs.lists(), queryKeys.runs.detail(runId)];

/**
 * Which reads each write the client sends makes stale, by route. Every write the client can send
 * has its row, even one that changes no read (query-keys.spec.tsx fails on a write without one).
 */
const STALE_AFTER: WriteRule[] = [
  // Flows: creating, duplicating and restoring a version into the draft (a save) are writes of flows.
  { method: 'POST', route: /^\/flows$/, stale: () => [queryKeys.flows.lists()] },
  { method: 'PUT', route: /^\/flows\/([^/]+)$/, stale: (id) => [queryKeys.flows.lists(), queryKeys.flows.detail(id)] },
  { method: 'POST', route: /^\/flows\/([^/]+)\/duplicate$/, stale: () => [queryKeys.flows.lists()] },
  { method: 'POST', route: /^\/flows\/([^/]+)\/archive$/, stale: (id) => [queryKeys.flows.lists(), queryKeys.flows.detail(id)] },
  { method: 'POST', route: /^\/flows\/([^/]+)\/publish$/, stale: (id) => [queryKeys.flows.lists(), queryKeys.flows.detail(id), queryKeys.flows.versions(id)] },
  // Validating stores nothing: the editor shows the answer itself.
  { method: 'POST', route: /^\/flows\/([^/]+)\/validate$/, stale: () => [] },
  // Runs: a new run shows in the run lists; a message, an event or a cancel changes the run.
  { method: 'POST', route: /^\/flows\/([^/]+)\/(runs|test-runs)$/, stale: () => [queryKeys.runs.lists()] },
  { method: 'POST', route: /^\/runs\/([^/]+)\/(messages|business-events|events|cancel)$/, stale: runChanged },
  { method: 'POST', route: /^\/events$/, stale: () => [queryKeys.runs.lists()] },
  // The KPI refresh brings the figures up to date, but the dashboard that sends it then reads a new
  // period ending now (new keys): making the old period stale too would read every panel twice.
  { method: 'POST', route: /^\/kpis\/refresh$/, stale: () => [] },
  // Trying phrases on an ai.classify node stores nothing.
  { method: 'POST', route: /^\/ai\/classify\/try$/, stale: () => [] },
  // API keys.
  { method: 'POST', route: /^\/api-keys$/, stale: () => [queryKeys.apiKeys()] },
  { method: 'DELETE', route: /^\/api-keys\/([^/]+)$/, stale: () => [queryKeys.apiKeys()] },
];

function ruleFor(write: ApiWrite): { rule: WriteRule; id: string } | null {
  const path = write.path.split('?')[0];
  for (const rule of STALE_AFTER) {
    const match = write.method === rule.method ? rule.route.exec(path) : null;
    if (match) return { rule, id: match[1] ?? '' };
  }
  return null;
}

/** Whether the table has a row for `write` (a write without one refreshes nothing, silently). */
export function isKnownWrite(write: ApiWrite): boolean {
  return ruleFor(write) !== null;
}

/** The keys (prefixes) whose cached reads `write` made stale. */
export function staleAfter(write: ApiWrite): QueryKey[] {
  const found = ruleFor(write);
  return found ? found.rule.stale(found.id) : [];
}
