/**
 * The API's shapes as the editor reads them (apps/api DTOs). Kept here, next to the client, so a
 * change in the API is a one-folder fix.
 */
import type { FlowDefinition, FlowProblem, PaletteEntry } from '../../../workflows/language';

export type Role = 'admin' | 'editor' | 'operator' | 'system';
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

// ---- KPIs (the KPI API is not written yet: these are the normalised shapes the UI renders) ---
export interface KpiPoint {
  /** The bucket start (ISO date). */
  at: string;
  values: Record<string, number | null>;
}

export interface KpiReport {
  /** Known KPI names (responseTimeP50Ms, escalationRate, ...) → value; absent when not reported. */
  values: Record<string, number | null>;
  series: KpiPoint[];
  runs: number | null;
}

export interface ExperimentVariant {
  id: string;
  exposures: number | null;
  conversions: number | null;
  rate: number | null;
  lift: number | null;
  confidence: number | null;
  pValue: number | null;
  interval: [number, number] | null;
}

export interface ExperimentResult {
  experiment: string;
  nodeId: string | null;
  goal: string | null;
  variants: ExperimentVariant[];
  significant: boolean | null;
}

export interface TrafficReport {
  edges: { id: string | null; source: string; sourceHandle: string | null; target: string | null; count: number }[];
  nodes: { nodeId: string; entered: number | null; dropOff: number | null }[];
}
