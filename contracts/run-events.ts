/**
 * The run-event contract: every event a run records, and the data it carries. The interpreter emits
 * them through a typed `emit<K>()`, the run-event writer stores them, and the KPI SQL reads them by
 * these names, so a KPI can only count an event the interpreter can emit (see
 * libs/kpis/run-event-names.spec.ts). Renaming a type here breaks stored analytics: add, never rename.
 */
import type { TokenUsage } from './activities';

/** The data of each run event, by its type. */
export interface RunEventDataByType {
  /** The run began (not on continue-as-new). */
  'run.started': { trigger: string; test?: true };
  /** The run ended; `nodeId` is the failing node when it failed. */
  'run.finished': { status: string; outcome?: string; error?: string };
  /** The run index row could not be written (the reconciler repairs it). */
  'run.index_failed': undefined;
  'customer.unavailable': { customerId: string };
  'node.entered': { type: string };
  'node.left': { branch: string | null };
  'node.error': { message: string };
  'message.in': { from: string; length: number; waitingFor: string | null; receivedAt?: number };
  'message.out': { text: string; from: string; buttons?: number };
  'event.received': { type: string };
  'ask.invalid': { attempts: number };
  csat: { score: number };
  goal: Record<string, unknown>;
  'experiment.exposure': { experiment: string; variant: string; adaptive?: true };
  'personalize.matched': { ruleId: string; offer?: string };
  /** `childRunId`: the child's run id (absent in events recorded before it was added). */
  'subflow.started': { flowId: string; version: number; childRunId?: string };
  /** `engine`: who answered; `llmFailure`: why the offline engine did although an LLM is configured. */
  'ai.classified': { intent: string | null; confidence: number; engine: string; llmFailure?: string; usage?: TokenUsage };
  /** `engine` is absent in events recorded before it was added. */
  'ai.sentiment': { label: string; score: number; engine?: string; llmFailure?: string; usage?: TokenUsage };
  'ai.reply': { answered: boolean; confidence: number; sources: string[]; usage?: TokenUsage };
  /** The escalation's summary for the agent was written (by the LLM when `usage` is present). */
  'ai.summary': { engine: string; usage?: TokenUsage };
  'ticket.created': { ticketId: string };
  notification: { channel: string; status: string };
  'score.churn': { score: number };
  'escalation.tier': { tier: number; queue: string; sla: string };
  'escalation.accepted': { tier: number; queue: string; agent: string };
  'escalation.sla_missed': { tier: number; queue: string };
  'escalation.unresolved': { tiers: number } | { reason: 'maxConversation' };
  'escalation.relayed': { count: number };
  'escalation.resolved': { tier: number; agent?: string; minutes: number };
  'escalation.returned': { tier: number; agent?: string; minutes: number };
  'escalation.notice_failed': { message: string };
  'escalation.alert_failed': { tier: number; message: string };
}

export type RunEventType = keyof RunEventDataByType;

/**
 * Every run-event type, as a value. `satisfies` plus the exhaustiveness check below make a type
 * added to the map and missing here (or the reverse) a compile error.
 */
export const RUN_EVENT_TYPES = [
  'run.started',
  'run.finished',
  'run.index_failed',
  'customer.unavailable',
  'node.entered',
  'node.left',
  'node.error',
  'message.in',
  'message.out',
  'event.received',
  'ask.invalid',
  'csat',
  'goal',
  'experiment.exposure',
  'personalize.matched',
  'subflow.started',
  'ai.classified',
  'ai.sentiment',
  'ai.reply',
  'ai.summary',
  'ticket.created',
  'notification',
  'score.churn',
  'escalation.tier',
  'escalation.accepted',
  'escalation.sla_missed',
  'escalation.unresolved',
  'escalation.relayed',
  'escalation.resolved',
  'escalation.returned',
  'escalation.notice_failed',
  'escalation.alert_failed',
] as const satisfies readonly RunEventType[];

type Missing = Exclude<RunEventType, (typeof RUN_EVENT_TYPES)[number]>;
// A compile error here names a type of RunEventDataByType missing from RUN_EVENT_TYPES.
const exhaustive: [Missing] extends [never] ? true : Missing = true;
void exhaustive;

/** The run events whose data carries an LLM's token usage: cost per interaction adds them up. */
export const LLM_USAGE_EVENT_TYPES = ['ai.classified', 'ai.sentiment', 'ai.reply', 'ai.summary'] as const satisfies readonly RunEventType[];

/** One run event as the workflow records it. */
export interface RunEvent<K extends RunEventType = RunEventType> {
  /** Position in the run, assigned by the workflow; with runId it makes a re-sent batch harmless. */
  seq: number;
  type: K;
  nodeId?: string;
  data?: RunEventDataByType[K];
  /** ISO time from the workflow's deterministic clock. */
  at: string;
}

/**
 * A run event as it travels to the writer and is stored: any type, any JSON data. The writer also
 * stores what the reconciler reconstructs and what a newer worker emits, so it does not narrow.
 */
export interface RecordedRunEvent {
  seq: number;
  type: string;
  nodeId?: string;
  data?: Record<string, unknown>;
  at: string;
}
