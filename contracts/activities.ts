/**
 * The stable names and interfaces of the activities the flow interpreter calls. The workflow imports
 * these types only (`proxyActivities<FlowActivities>`); the worker registers implementations built by
 * factories that receive their clients. Inputs and outputs are plain JSON.
 */
import type { RecordedRunEvent } from './run-events';

/** What every node activity receives to stay idempotent: a key made of the run and the node visit. */
export interface ActivityContext {
  runId: string;
  flowId: string;
  nodeId: string;
  /** `${runId}:${nodeId}:${visit}`: the same on every retry of this visit, new for the next visit. */
  idempotencyKey: string;
  customerId?: string;
}

export interface ConversationTurn {
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: string;
}

// ---- run events and the run index ---------------------------------------------------------------
/** The run events a workflow sends in one activity call (flushed at each wait and at the end). */
export interface RunEventBatch {
  runId: string;
  flowId: string;
  version: number;
  customerId?: string;
  events: RecordedRunEvent[];
}

/** The run's row in the `runs` index, as the workflow last knew it. */
export interface RunIndexUpdate {
  runId: string;
  flowId: string;
  version: number;
  customerId?: string;
  startKey?: string;
  status: string;
  outcome?: string;
  currentNode?: string;
  startedAt?: string;
  closedAt?: string;
}

// ---- AI -----------------------------------------------------------------------------------------
export interface ClassifyInput {
  ctx: ActivityContext;
  text: string;
  intents: { id: string; examples: string[]; description?: string }[];
  /** Below this confidence the node takes `fallback`. */
  threshold?: number;
  locale?: string;
}
export interface ClassifyOutput {
  intent: string | null;
  confidence: number;
  scores: Record<string, number>;
  engine: 'offline' | 'llm';
  usage?: TokenUsage;
  /** Set when an LLM is configured but failed and the offline engine answered: the failure's type (e.g. `LlmTimeout`). */
  llmFailure?: string;
}

export interface SentimentInput {
  ctx: ActivityContext;
  text: string;
}
export interface SentimentOutput {
  label: 'negative' | 'neutral' | 'positive';
  score: number;
  language: 'es' | 'en' | 'unknown';
  engine: 'offline' | 'llm';
  usage?: TokenUsage;
  /** Set when an LLM is configured but failed and the offline engine answered: the failure's type (e.g. `LlmTimeout`). */
  llmFailure?: string;
}

export interface ReplyInput {
  ctx: ActivityContext;
  question: string;
  conversation: ConversationTurn[];
  collection?: string;
  minConfidence?: number;
  locale?: string;
}
export interface ReplyOutput {
  answer: string | null;
  confidence: number;
  sources: { id: string; title: string; score: number }[];
  engine: 'offline' | 'llm';
  usage?: TokenUsage;
}

export interface SummarizeInput {
  ctx: ActivityContext;
  conversation: ConversationTurn[];
  locale?: string;
}
export interface SummarizeOutput {
  summary: string;
  engine: 'offline' | 'llm';
  usage?: TokenUsage;
}

export interface TokenUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

// ---- CRM ----------------------------------------------------------------------------------------
export interface CustomerRecord {
  id: string;
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
}
export interface CrmLookupInput {
  ctx: ActivityContext;
  by: 'id' | 'email' | 'phone';
  value: string;
}
export interface CrmLookupOutput {
  found: boolean;
  customer: CustomerRecord | null;
}
export interface CrmUpdateInput {
  ctx: ActivityContext;
  customerId: string;
  fields?: Record<string, unknown>;
  addTags?: string[];
  removeTags?: string[];
}
export interface CrmUpdateOutput {
  customer: CustomerRecord;
}
export interface CrmTicketInput {
  ctx: ActivityContext;
  customerId?: string;
  subject: string;
  description?: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
}
export interface CrmTicketOutput {
  ticketId: string;
  created: boolean;
}

// ---- Notifications and channels ---------------------------------------------------------------
export interface NotifyInput {
  ctx: ActivityContext;
  channel: 'email' | 'sms' | 'slack' | 'webhook' | 'whatsapp';
  to: string;
  subject?: string;
  text: string;
  /** Why the notification is sent, e.g. 'escalation', 'message', 'alert'. */
  purpose?: string;
}
export interface NotifyOutput {
  outboxId: string;
  status: 'sent' | 'pending' | 'failed';
  reason?: string;
}

// ---- HTTP ---------------------------------------------------------------------------------------
export interface HttpRequestInput {
  ctx: ActivityContext;
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Header name -> secret name; resolved by the activity, never written to history. */
  secretHeaders?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}
export interface HttpRequestOutput {
  ok: boolean;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  error?: string;
}

// ---- Scoring ------------------------------------------------------------------------------------
export interface ChurnScoreInput {
  ctx: ActivityContext;
  features: Record<string, unknown>;
}
export interface ChurnScoreOutput {
  score: number;
  contributions: Record<string, number>;
  model: string;
}

// ---- Custom activities --------------------------------------------------------------------------
export interface CustomActivityInput {
  ctx: ActivityContext;
  input: Record<string, unknown>;
}

// ---- Flows --------------------------------------------------------------------------------------
export interface LoadFlowVersionInput {
  flowId: string;
  /** Unset: the latest published version. */
  version?: number;
}
export interface LoadFlowVersionOutput {
  flowId: string;
  version: number;
  /** A FlowDefinition (typed loosely here so activities do not depend on the flow language). */
  definition: { nodes: unknown[]; edges: unknown[]; variables?: unknown[] };
}

// ---- Upkeep: the notification outbox and the runs reconciler -----------------------------------
export interface DispatchOutboxInput {
  /** Rows to (re)send; without it, the oldest pending rows of channels with a provider. */
  ids?: string[];
  /** At most this many rows in one pass (1-500, default 50). */
  limit?: number;
}

export interface DispatchOutboxResult {
  sent: number;
  failed: number;
  results: { id: string; status: 'sent' | 'failed' | 'pending' | 'not_found'; reason?: string }[];
}

export interface ReconcileRunsInput {
  /** Rows looked at in one pass (default 200): a pass stays short however many runs are open. */
  limit?: number;
  /** Only rows not updated for this long (default 2 minutes): a run that just started or was just checked waits its turn. */
  idleMs?: number;
  /** A run whose workflow Temporal does not know is closed only this long after its start (default 5 minutes). */
  notFoundGraceMs?: number;
  /** Only these runs (tests); default every open row. */
  runIds?: string[];
  /**
   * The sweep (worker only): closed rows of flowRunV2 runs without `run.finished`, closed within this
   * long (default 24 hours; 0 turns it off), are rebuilt from their history.
   */
  sweepWindowMs?: number;
  /** The sweep leaves rows closed or written this recently to the run-log writer (default 1 minute). */
  sweepGraceMs?: number;
  /** Rows the sweep rebuilds per pass at most (default 50). */
  sweepLimit?: number;
  /**
   * The gap check (worker only): runs finished within this long (default 10 minutes; 0 turns it off)
   * whose run events have a hole in `seq`, and subflow children started within it that have no row,
   * are rebuilt from their history. The grace is `sweepGraceMs`.
   */
  gapWindowMs?: number;
  /** Finished runs, and subflow starts, the gap check looks at per pass at most, newest first (default 200). */
  gapLimit?: number;
}

export interface ReconcileRunsOutput {
  /** Open index rows looked at. */
  checked: number;
  /** Of those, still running in Temporal. */
  open: number;
  /** Index rows closed. */
  closed: number;
  /** `run.finished` events written for runs that ended without running workflow code (terminated, timed out, lost). */
  finished: number;
  /** Rows whose check failed (Temporal or PostgreSQL errors); they are tried again on a later pass. */
  errors: number;
  /** flowRunV2 runs whose lost run-log entries were rebuilt from their history (open rows closed this way count in `closed` too). */
  rebuilt: number;
  /** Closed rows without `run.finished` the sweep looked at (worker only). */
  swept: number;
  /** Closed runs found with a hole in their run events' `seq` (worker only). */
  gapsFound: number;
  /** Of those, made dense again from their history. */
  gapsFilled: number;
  /** Subflow children named by their parent's `subflow.started` that had no `runs` row (worker only). */
  childrenFound: number;
  /** Of those, rebuilt from their history (events written, row created closed). */
  childrenRebuilt: number;
}

// ---- Experiments and alerts (libs/kpis) ----------------------------------------------------------
export interface AssignVariantInput {
  ctx: ActivityContext;
  flowId: string;
  experiment: string;
  /** The customer id, or the run id for runs without a customer. */
  subject: string;
  variants: { id: string; weight: number }[];
}
export interface AssignVariantOutput {
  variant: string;
  /** `existing`: the subject's first assignment (it always wins); `new`: assigned now by Thompson sampling. */
  assignment: 'existing' | 'new';
}
/** The adaptive abSplit's assignment (a local activity; kept apart from FlowActivities so test doubles need not implement it). */
export interface ExperimentActivities {
  assignExperimentVariant(input: AssignVariantInput): Promise<AssignVariantOutput>;
}

export interface CheckAlertsInput {
  /** Only these rules (tests); default every enabled rule. */
  ruleIds?: string[];
}
export interface CheckAlertsOutput {
  checked: number;
  breached: number;
  fired: string[];
  resolved: string[];
  notified: string[];
  skipped: { ruleId: string; reason: string }[];
}
/** The scheduled alert check (upkeep/alert-check). */
export interface AlertActivities {
  checkAlerts(input: CheckAlertsInput): Promise<CheckAlertsOutput>;
}

/** Every activity the interpreter may call, by its stable name. */
export interface FlowActivities {
  loadFlowVersion(input: LoadFlowVersionInput): Promise<LoadFlowVersionOutput>;
  recordRunEvents(batch: RunEventBatch): Promise<number>;
  updateRunIndex(update: RunIndexUpdate): Promise<void>;
  aiClassify(input: ClassifyInput): Promise<ClassifyOutput>;
  aiSentiment(input: SentimentInput): Promise<SentimentOutput>;
  aiReply(input: ReplyInput): Promise<ReplyOutput>;
  aiSummarize(input: SummarizeInput): Promise<SummarizeOutput>;
  crmLookup(input: CrmLookupInput): Promise<CrmLookupOutput>;
  crmUpdate(input: CrmUpdateInput): Promise<CrmUpdateOutput>;
  crmTicket(input: CrmTicketInput): Promise<CrmTicketOutput>;
  notify(input: NotifyInput): Promise<NotifyOutput>;
  httpRequest(input: HttpRequestInput): Promise<HttpRequestOutput>;
  scoreChurn(input: ChurnScoreInput): Promise<ChurnScoreOutput>;
}

/** Custom activities are registered as `custom.<name>` and take `CustomActivityInput`. */
export const customActivityTypeName = (name: string) => `custom.${name}`;
