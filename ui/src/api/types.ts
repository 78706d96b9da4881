/**
 * The API's shapes as the editor reads them (apps/api DTOs). Kept here, next to the client, so a
 * change in the API is a one-folder fix.
 */
import type { FlowDefinition, FlowProblem, PaletteEntry } from '../../../workflows/language';

export type Role = 'admin' | 'editor' | 'operator' | 'system';

/** `GET /me`: the key behind the requests. */
export interface Me {
  id: string;
  name: string;
  role: Role;
  /** Flows the key is limited to; null: every flow. */
  flowIds: string[] | null;
  rateLimit: number;
}

export type Locale = 'es' | 'en';

/** The API's error body: `{ statusCode, error, message, details? }`. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  details?: { errors?: FlowProblem[]; [key: string]: unknown };
}

export type FlowStatus = 'draft' | 'published' | 'archived';

export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  status: FlowStatus;
  latestVersion: number | null;
  trigger: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Flow extends FlowSummary {
  draft: FlowDefinition;
  draftChanged: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ValidationResult {
  valid: boolean;
  errors: FlowProblem[];
  warnings: FlowProblem[];
}

export interface PublishResult {
  flowId: string;
  version: number;
  publishedAt: string;
  publishedBy: string | null;
  warnings: FlowProblem[];
  schedule: { scheduleId: string; cron: string; version: number } | null;
}

export interface FlowVersionSummary {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
  nodeCount: number;
}

export interface FlowVersion {
  flowId: string;
  version: number;
  definition: FlowDefinition;
  publishedAt: string;
  publishedBy: string | null;
}

export interface DiffSection {
  added: string[];
  removed: string[];
  changed: { id: string; fields: string[] }[];
}

export interface FlowDiff {
  flowId: string;
  from: number | 'draft';
  to: number | 'draft';
  identical: boolean;
  nodes: DiffSection & { moved: string[] };
  edges: DiffSection;
  variables: DiffSection;
}

export interface Palette {
  locale: Locale;
  items: PaletteEntry[];
}

// ---- runs ------------------------------------------------------------------------------------
export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out';
export type WaitingFor = 'reply' | 'event' | 'timer' | 'agent' | 'subflow' | null;

export interface Button {
  label: string;
  value: string;
}

export interface Reply {
  from: 'bot' | 'agent' | 'system';
  text: string;
  nodeId?: string;
  buttons?: Button[];
  at: string;
}

export interface TranscriptEntry {
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: string;
  nodeId?: string;
  buttons?: Button[];
}

export interface PathStep {
  nodeId: string;
  type: string;
  enteredAt: string;
  leftAt?: string;
  branch?: string | null;
}

export interface RunStarted {
  runId: string;
  flowId: string;
  version: number;
  status: RunStatus;
  created: boolean;
  replies: Reply[];
  test: boolean;
}

export interface MessageResult {
  runId?: string;
  replies: Reply[];
  status: RunStatus;
  waitingFor: WaitingFor;
  currentNode: string | null;
  outcome?: string;
}

export interface RunSummary {
  runId: string;
  flowId: string | null;
  version: number | null;
  customerId: string | null;
  status: RunStatus;
  outcome: string | null;
  startKey: string | null;
  trigger: string | null;
  test: boolean;
  startedAt: string;
  closedAt: string | null;
}

export interface Escalation {
  nodeId: string;
  tier: number;
  queue: string;
  status: 'waiting' | 'accepted';
  agent?: string;
  since: string;
}

export interface Run extends RunSummary {
  currentNode: string | null;
  waitingFor: WaitingFor;
  vars: Record<string, unknown>;
  customer: Record<string, unknown> | null;
  transcript: TranscriptEntry[];
  path: PathStep[];
  escalation?: Escalation;
  error?: { nodeId?: string; message: string };
  experiments: Record<string, string>;
  stateAvailable: boolean;
}

export interface RunFilters {
  flowId?: string;
  status?: string;
  customerId?: string;
  includeTest?: boolean;
  startedAfter?: string;
  startedBefore?: string;
  cursor?: string;
  pageSize?: number;
}

export interface RunEvent {
  type: string;
  data?: Record<string, unknown>;
  id?: string;
}

// ---- KPIs: the API's shapes (apps/api/kpis/dto) -----------------------------------------------
export interface ApiKpiValues {
  runs: number;
  finished: number;
  open: number;
  outcomes: Record<string, number>;
  responseTime: { turns: number; unanswered: number; p50Ms: number | null; p95Ms: number | null; avgMs: number | null };
  escalation: { escalated: number; humanHandled: number; rate: number | null };
  aiResolution: { resolved: number; rate: number | null };
  fcr: { windowHours: number; eligible: number; firstContact: number; pending: number; rate: number | null };
  csat: { responses: number; average: number | null; topShare: number | null };
  abandonment: { abandoned: number; rate: number | null };
  failures: { failed: number; rate: number | null };
  timeToResolution: { resolved: number; p50Seconds: number | null; p95Seconds: number | null; avgSeconds: number | null };
  conversion: { converted: number; rate: number | null; value: number; perGoal: { goal: string; runs: number; rate: number | null; value: number }[] };
  cost: { promptTokens: number; completionTokens: number; llmUsd: number; humanMinutes: number; humanUsd: number; totalUsd: number; perInteractionUsd: number | null };
  roi: { baselineUsd: number; savingsUsd: number; roi: number | null };
}

export interface ApiKpiReport {
  from: string;
  to: string;
  flowIds: string[] | null;
  version: number | null;
  groupBy: 'flow' | 'version' | null;
  interval: 'hour' | 'day' | 'week' | 'month' | null;
  totals: ApiKpiValues;
  groups: (ApiKpiValues & { flowId: string | null; version: number | null; period: string | null })[];
}

export interface ApiExperimentReport {
  flowId: string;
  from: string;
  to: string;
  experiments: {
    experiment: string;
    nodeId: string | null;
    adaptive: boolean;
    control: string;
    goal: string | null;
    minSample: number;
    alpha: number;
    /** Comparisons with the control; with more than one the p-values are Holm-adjusted (`correction: 'holm'`). */
    comparisons?: number;
    correction?: 'holm' | 'none';
    /** Confidence level of the intervals (0.95, or 1 − 0.05/comparisons). */
    ciLevel?: number;
    exposures: number;
    conversions: number;
    status: 'insufficient_data' | 'no_significant_difference' | 'winner';
    winner: string | null;
    variants: {
      id: string;
      weight: number | null;
      exposures: number;
      conversions: number;
      rate: number | null;
      isControl: boolean;
      probabilityBest: number;
      vsControl: {
        difference: number | null;
        lift: number | null;
        ciLow: number | null;
        ciHigh: number | null;
        z: number | null;
        pValue: number | null;
        pValueAdjusted?: number | null;
        significant: boolean;
      } | null;
    }[];
  }[];
}

export interface ApiTrafficReport {
  flowId: string;
  definitionVersion: number | null;
  from: string;
  to: string;
  runs: number;
  nodes: { nodeId: string; type: string | null; runs: number; visits: number; exits: number; completed: number; dropped: number; waiting: number; ended: number; dropOffRate: number | null }[];
  edges: { id: string | null; source: string; sourceHandle: string; target: string | null; runs: number; transitions: number; share: number | null }[];
}

// ---- KPIs as the dashboard renders them ------------------------------------------------------
export type KpiKey =
  | 'responseTimeP50Ms'
  | 'responseTimeP95Ms'
  | 'escalationRate'
  | 'aiResolutionRate'
  | 'fcrRate'
  | 'csat'
  | 'abandonmentRate'
  | 'conversionRate'
  | 'timeToResolutionP50Ms'
  | 'costPerInteractionUsd'
  | 'roi';

export interface KpiPoint {
  /** The bucket start (ISO). */
  at: string;
  runs: number;
  values: Partial<Record<KpiKey, number | null>>;
}

export interface KpiReport {
  runs: number;
  values: Partial<Record<KpiKey, number | null>>;
  /** How many answered a CSAT survey, escalated, ... (context for the values). */
  counts: { csatResponses: number; escalated: number; converted: number };
  outcomes: Record<string, number>;
  series: KpiPoint[];
}

export interface ExperimentVariant {
  id: string;
  isControl: boolean;
  exposures: number;
  conversions: number;
  rate: number | null;
  lift: number | null;
  /** The test's own p-value, and the Holm-adjusted one significance is decided on (the same with two variants). */
  pValue: number | null;
  pValueAdjusted: number | null;
  /** Confidence interval of the difference with the control, at the experiment's `ciLevel`. */
  interval: [number, number] | null;
  probabilityBest: number | null;
  significant: boolean;
}

export interface ExperimentResult {
  experiment: string;
  nodeId: string | null;
  goal: string | null;
  control: string;
  status: 'insufficient_data' | 'no_significant_difference' | 'winner';
  winner: string | null;
  minSample: number;
  /** `holm` with more than one comparison with the control. */
  correction: 'holm' | 'none';
  comparisons: number;
  ciLevel: number;
  variants: ExperimentVariant[];
}

export interface TrafficReport {
  runs: number;
  edges: { id: string | null; source: string; sourceHandle: string | null; target: string | null; count: number; share: number | null }[];
  nodes: { nodeId: string; entered: number; dropOff: number; dropOffRate: number | null }[];
}

// ---- API keys (admin; apps/api/auth/dto.ts) --------------------------------------------------
/** A key as `GET /api-keys` lists it: never the key itself, only its first characters. */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  /** The first characters of the key, to recognise it. */
  prefix: string;
  /** Flows the key is limited to; null: every flow. */
  flowIds: string[] | null;
  /** Requests per second; null: the server's default. */
  rateLimit: number | null;
  /** Who created it (key id). */
  createdBy: string | null;
  createdAt: string;
  /** Last request made with it (updated at most once a minute). */
  lastUsedAt: string | null;
  /** Null while the key works. */
  revokedAt: string | null;
}

/** `POST /api-keys`: the new key with the secret, shown this once. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface CreateApiKeyBody {
  name: string;
  role: Role;
  flowIds?: string[];
  rateLimit?: number;
}
