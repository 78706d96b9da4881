import type { RecordedRunEvent } from './run-events';
import type { FlowDefinition } from '../workflows/language';

/** Everything a run starts from. The API passes the pinned version's definition, so no lookup is needed. */
export interface FlowRunInput {
  flowId: string;
  version: number;
  definition: FlowDefinition;
  input?: Record<string, unknown>;
  customerId?: string;
  startKey?: string;
  /** The channel replies go out on: chat replies return through the Update; others go through notify. */
  channel?: 'chat' | 'email' | 'sms' | 'whatsapp';
  /** Language of the built-in customer-facing texts. */
  locale?: 'es' | 'en';
  /** A test run of a draft from the editor's simulator. */
  test?: boolean;
  /** Set by continue-as-new: the state the previous execution carried over. */
  carried?: CarriedState;
  /** Overrides for tests (continue-as-new thresholds). */
  limits?: Partial<RunLimits>;
}

export interface RunLimits {
  /** Continue-as-new once this many updates were handled in one execution (Temporal allows 2,000). */
  maxUpdatesPerExecution: number;
  /** Continue-as-new once the history has this many events. */
  maxHistoryEvents: number;
  /** Nodes executed without waiting before the run is failed as spinning (a validator escape hatch). */
  maxStepsWithoutWait: number;
  /**
   * Rule and template work units (workflows/language/work-budget.ts) spent without waiting before
   * the run is failed: each evaluation has its own budget (~100 ms), and a bounded loop of such
   * nodes must not add up to Temporal's 2 s deadlock detector either.
   */
  maxWorkWithoutWait: number;
  /** Buffered run events that trigger a flush. */
  flushThreshold: number;
  /** Idle time after which buffered events are flushed. */
  flushIdleMs: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  maxUpdatesPerExecution: 500,
  maxHistoryEvents: 10_000,
  maxStepsWithoutWait: 1_000,
  maxWorkWithoutWait: 600_000,
  flushThreshold: 100,
  flushIdleMs: 30_000,
};

export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export type WaitingFor = 'reply' | 'event' | 'timer' | 'agent' | 'subflow' | null;

export interface Reply {
  from: 'bot' | 'agent' | 'system';
  text: string;
  nodeId?: string;
  buttons?: { label: string; value: string }[];
  at: string;
}

export interface TranscriptEntry {
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: string;
  nodeId?: string;
  buttons?: { label: string; value: string }[];
}

export interface PathStep {
  nodeId: string;
  type: string;
  enteredAt: string;
  leftAt?: string;
  branch?: string | null;
}

export interface InboundMessage {
  text: string;
  from?: 'customer' | 'agent';
  /** The caller's message id; the API uses it as the Update id, so a retried send is handled once. */
  id?: string;
  agent?: string;
  channel?: string;
  /**
   * When the API received the message (epoch ms, the API's clock). The workflow clock stands still
   * within one workflow task, so the response-time KPI starts here (libs/kpis/facts.ts).
   */
  receivedAt?: number;
}

export interface MessageResult {
  replies: Reply[];
  status: RunStatus;
  waitingFor: WaitingFor;
  currentNode: string | null;
  outcome?: string;
}

export interface BusinessEvent {
  type: string;
  data?: Record<string, unknown>;
  /** Signals can be delivered twice; an event with an id already seen is ignored. */
  id?: string;
}

export interface RunSnapshot {
  runId: string;
  flowId: string;
  version: number;
  customerId?: string;
  status: RunStatus;
  outcome?: string;
  currentNode: string | null;
  waitingFor: WaitingFor;
  vars: Record<string, unknown>;
  customer: Record<string, unknown> | null;
  transcript: TranscriptEntry[];
  path: PathStep[];
  nodes: Record<string, { output?: unknown }>;
  escalation?: EscalationState;
  experiments: Record<string, string>;
  error?: { nodeId?: string; message: string };
  continuedAsNew: number;
}

export interface EscalationState {
  nodeId: string;
  tier: number;
  queue: string;
  status: 'waiting' | 'accepted';
  agent?: string;
  since: string;
}

/** The state a long conversation carries through continue-as-new. */
export interface CarriedState {
  vars: Record<string, unknown>;
  customer: Record<string, unknown> | null;
  last: { text: string; at: string; channel?: string } | null;
  nodes: Record<string, { output?: unknown }>;
  transcript: TranscriptEntry[];
  path: PathStep[];
  experiments: Record<string, string>;
  visits: Record<string, number>;
  seenEventIds: string[];
  pendingMessages: InboundMessage[];
  /** Business and agent events received and not yet consumed by a wait. */
  pendingBusinessEvents?: BusinessEvent[];
  /** Run events not yet written: the next execution flushes them. */
  pendingEvents?: RecordedRunEvent[];
  seq: number;
  startedAt: string;
  continuedAsNew: number;
  /** Where to pick up: a node that was waiting, and what it needs to go on waiting. */
  resume: ResumePoint;
}

export interface ResumePoint {
  nodeId: string;
  attempts?: number;
  deadline?: number;
  escalation?: EscalationState;
}

export interface FlowRunResult {
  outcome: string;
  status: RunStatus;
  vars: Record<string, unknown>;
}
