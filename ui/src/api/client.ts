/**
 * The typed API client: every call the editor makes goes through here, so a change in the API's
 * routes or shapes is fixed in this folder only.
 */
import type { FlowDefinition } from '../../../workflows/language';
import { normaliseExperiments, normaliseKpis, normaliseTraffic } from './kpis';
import type {
  ApiErrorBody,
  ApiExperimentReport,
  ApiKey,
  ApiKpiReport,
  ApiTrafficReport,
  BusinessEvent,
  ClassifyTryBody,
  ClassifyTryResult,
  CreateApiKeyBody,
  CreatedApiKey,
  ExperimentResult,
  Flow,
  FlowDiff,
  FlowStatus,
  FlowSummary,
  FlowVersion,
  FlowVersionSummary,
  KpiReport,
  Locale,
  Me,
  MessageResult,
  Page,
  Palette,
  PublishResult,
  Role,
  Run,
  RunFilters,
  RunStarted,
  RunSummary,
  TrafficReport,
  ValidationResult,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(ApiError.describe(status, body));
    this.name = 'ApiError';
  }

  static describe(status: number, body: ApiErrorBody | null): string {
    if (!body) return `HTTP ${status}`;
    return Array.isArray(body.message) ? body.message.join('; ') : body.message || body.error || `HTTP ${status}`;
  }

  /** Problems of an invalid flow (422 from publish or a test run). */
  get problems() {
    return this.body?.details?.errors ?? [];
  }
}

/** True when an API is missing (not written yet) rather than failing. */
export function isMissing(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501);
}

type Query = Record<string, string | number | boolean | undefined | null>;

function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** A write the API accepted: `POST /flows/f1/publish` is `{ method: 'POST', path: '/flows/f1/publish' }`. */
export interface ApiWrite {
  method: string;
  path: string;
}

export interface ApiClientOptions {
  baseUrl?: string;
  /** The API key; read at every call so signing in or out needs no new client. */
  getKey: () => string | null;
  /** Called on 401: the key was revoked or mistyped. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly writeListeners = new Set<(write: ApiWrite) => void>();
  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl ?? '';
  }

  /**
   * Calls `listener` after every write the API accepted (any method but GET), wherever it was made
   * from, so the query cache can refresh what it changed (api/query-client.tsx). Returns the unsubscribe.
   */
  onWrite(listener: (write: ApiWrite) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query, key?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const apiKey = key ?? this.options.getKey();
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const doFetch = this.options.fetch ?? fetch;
    const res = await doFetch(`${this.baseUrl}/api${path}${queryString(query)}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!res.ok) {
      if (res.status === 401 && key === undefined) this.options.onUnauthorized?.();
      throw new ApiError(res.status, (parsed as ApiErrorBody) ?? null);
    }
    if (method !== 'GET') for (const listener of this.writeListeners) listener({ method, path });
    return parsed as T;
  }

  // ---- who am I ------------------------------------------------------------------------------
  /** The key behind the requests (`GET /me`, allowed for every role); `key` checks another key than the session's. */
  me(key?: string) {
    return this.request<Me>('GET', '/me', undefined, undefined, key);
  }

  /** The role of a key, from `GET /me`; an unknown or revoked key rejects with a 401 ApiError. */
  async roleOf(key: string): Promise<Role> {
    return (await this.me(key)).role;
  }

  // ---- flows ---------------------------------------------------------------------------------
  listFlows(query: { q?: string; status?: FlowStatus; cursor?: string; limit?: number } = {}) {
    return this.request<Page<FlowSummary>>('GET', '/flows', undefined, query);
  }
  getFlow(id: string) {
    return this.request<Flow>('GET', `/flows/${id}`);
  }
  createFlow(body: { name: string; description?: string; definition?: FlowDefinition }) {
    return this.request<Flow>('POST', '/flows', body);
  }
  saveFlow(id: string, body: { name: string; description?: string; definition: FlowDefinition }) {
    return this.request<Flow>('PUT', `/flows/${id}`, body);
  }
  duplicateFlow(id: string, name?: string) {
    return this.request<Flow>('POST', `/flows/${id}/duplicate`, name ? { name } : {});
  }
  archiveFlow(id: string) {
    return this.request<Flow>('POST', `/flows/${id}/archive`);
  }
  validateFlow(id: string, locale: Locale, definition?: FlowDefinition) {
    return this.request<ValidationResult>('POST', `/flows/${id}/validate`, definition ? { definition } : {}, { locale });
  }
  publishFlow(id: string, locale: Locale) {
    return this.request<PublishResult>('POST', `/flows/${id}/publish`, undefined, { locale });
  }
  listVersions(id: string) {
    return this.request<{ items: FlowVersionSummary[] }>('GET', `/flows/${id}/versions`);
  }
  getVersion(id: string, version: number) {
    return this.request<FlowVersion>('GET', `/flows/${id}/versions/${version}`);
  }
  diffVersions(id: string, a: number | 'draft', b: number | 'draft') {
    return this.request<FlowDiff>('GET', `/flows/${id}/versions/${a}/diff/${b}`);
  }

  // ---- palette -------------------------------------------------------------------------------
  palette(locale: Locale) {
    return this.request<Palette>('GET', '/activities', undefined, { locale });
  }

  // ---- AI nodes ------------------------------------------------------------------------------
  /** Classifies phrases against an ai.classify node's intents, saved or not, and reviews them; stores nothing. */
  tryClassify(body: ClassifyTryBody) {
    return this.request<ClassifyTryResult>('POST', '/ai/classify/try', body);
  }

  // ---- runs ----------------------------------------------------------------------------------
  startTestRun(flowId: string, body: { input?: Record<string, unknown>; customerId?: string; locale?: Locale } = {}) {
    return this.request<RunStarted>('POST', `/flows/${flowId}/test-runs`, body, { locale: body.locale });
  }
  startRun(flowId: string, body: { input?: Record<string, unknown>; customerId?: string; key?: string; locale?: Locale } = {}) {
    return this.request<RunStarted>('POST', `/flows/${flowId}/runs`, body);
  }
  sendMessage(runId: string, body: { text: string; from?: 'customer' | 'agent'; agent?: string; id?: string }) {
    return this.request<MessageResult>('POST', `/runs/${runId}/messages`, body);
  }
  /**
   * A business or agent event sent to one run (`POST /runs/:runId/business-events`). Not the run
   * events a run records (`RunEvent`, read with `GET /runs/:runId/events`).
   */
  sendBusinessEvent(runId: string, event: BusinessEvent) {
    return this.request<{ runId: string; type: string; accepted: boolean }>('POST', `/runs/${runId}/business-events`, event);
  }
  cancelRun(runId: string) {
    return this.request<{ runId: string; status: string }>('POST', `/runs/${runId}/cancel`);
  }
  getRun(runId: string) {
    return this.request<Run>('GET', `/runs/${runId}`);
  }
  listRuns(filters: RunFilters = {}) {
    return this.request<Page<RunSummary>>('GET', '/runs', undefined, { ...filters });
  }

  // ---- KPIs ----------------------------------------------------------------------------------
  async kpis(query: { flowId?: string; from?: string; to?: string; interval?: 'hour' | 'day' | 'week' | 'month' }): Promise<KpiReport | null> {
    return normaliseKpis(await this.request<ApiKpiReport>('GET', '/kpis', undefined, query));
  }
  /** Brings the KPI figures up to date before a read (the reads never refresh; the worker does every few seconds). */
  async refreshKpis(): Promise<{ runs: number; days: number; ms: number }> {
    return this.request<{ runs: number; days: number; ms: number }>('POST', '/kpis/refresh');
  }
  async experiments(flowId: string, query: { from?: string; to?: string } = {}): Promise<ExperimentResult[]> {
    return normaliseExperiments(await this.request<ApiExperimentReport>('GET', `/flows/${flowId}/experiments`, undefined, query));
  }
  async traffic(flowId: string, query: { from?: string; to?: string; version?: number } = {}): Promise<TrafficReport | null> {
    return normaliseTraffic(await this.request<ApiTrafficReport>('GET', `/flows/${flowId}/traffic`, undefined, query));
  }

  // ---- API keys (admin) ----------------------------------------------------------------------
  /** Every key, newest first, revoked ones included; never the keys themselves. */
  listApiKeys() {
    return this.request<{ items: ApiKey[] }>('GET', '/api-keys');
  }
  /** A new key; the answer carries the secret (`key`), the only time the API returns it. */
  createApiKey(body: CreateApiKeyBody) {
    return this.request<CreatedApiKey>('POST', '/api-keys', body);
  }
  /** Revokes a key (it stops working within seconds); revoking a revoked key changes nothing. */
  revokeApiKey(id: string) {
    return this.request<ApiKey>('DELETE', `/api-keys/${id}`);
  }
}
