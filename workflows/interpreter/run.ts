import { cloneJson } from './clone';
import { decidePatches, Patches } from './patches';
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { FlowActivities } from '../../contracts/activities';
import type { RecordedRunEvent, RunEventDataByType, RunEventType } from '../../contracts/run-events';
// The language's modules one by one, not its index: the index pulls in the node catalog and its zod
// schemas, which every new workflow would otherwise initialize (measured in bench/api-conversations.ts).
import type { FlowDefinition, FlowNode, FlowScope } from '../language';
import { DEFAULT_MAX_OUTPUT, renderTemplate } from '../language/templates';
import { DEFAULT_TEXTS, TextKey } from './texts';
import {
  BusinessEvent,
  CarriedState,
  DEFAULT_LIMITS,
  EscalationState,
  FlowRunInput,
  InboundMessage,
  PathStep,
  RunLimits,
  RunSnapshot,
  RunStatus,
  TranscriptEntry,
  WaitingFor,
} from '../../contracts/run';

const RECORD_OPTIONS = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds', backoffCoefficient: 2 },
} as const;
const { recordRunEvents } = proxyActivities<FlowActivities>(RECORD_OPTIONS);
/** The last flush of a closing run (see finish() and the finish-with-local-activities patch). */
const local = proxyLocalActivities<Pick<FlowActivities, 'recordRunEvents'>>(RECORD_OPTIONS);

/** Events seen by id, kept for de-duplication; bounded so history and carried state stay small. */
const MAX_SEEN_EVENT_IDS = 500;
/** Transcript and path entries carried through continue-as-new (the full record is in run_events). */
const CARRIED_TAIL = 200;
/** Business events kept for a later waitForEvent. */
const MAX_BUFFERED_EVENTS = 100;
/**
 * ...and their data, in JSON characters: the buffer travels in continue-as-new's input, which must
 * stay well inside Temporal's 2 MB payload limit beside the carried transcript. The oldest go first.
 */
const MAX_BUFFERED_EVENT_CHARS = 512 * 1024;

const eventChars = (event: BusinessEvent): number => (event.data === undefined ? 0 : JSON.stringify(event.data).length);

export class NodeError extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'NodeError';
  }
}

/**
 * The state of one run and the primitives node handlers use: the scope for rules and templates,
 * saying things to the customer, waiting durably for replies, events or time, and buffering the run
 * events that feed the KPIs. Deterministic: time comes from the workflow clock, no I/O.
 */
/** The data argument of `emit`: required when the event carries data, absent when it carries none. */
type EventData<K extends RunEventType> = RunEventDataByType[K] extends undefined ? [] : [data: RunEventDataByType[K]];

export class Run {
  readonly runId = workflowInfo().workflowId;
  readonly limits: RunLimits;
  readonly nodes = new Map<string, FlowNode>();
  private readonly edges = new Map<string, string>();

  status: RunStatus = 'running';
  outcome?: string;
  currentNode: string | null = null;
  waitingFor: WaitingFor = null;
  vars: Record<string, unknown>;
  customer: Record<string, unknown> | null = null;
  last: { text: string; at: string; channel?: string } | null = null;
  outputs: Record<string, { output?: unknown }> = {};
  transcript: TranscriptEntry[] = [];
  path: PathStep[] = [];
  experiments: Record<string, string> = {};
  visits: Record<string, number> = {};
  escalation?: EscalationState;
  error?: { nodeId?: string; message: string };
  startedAt: string;
  continuedAsNew = 0;

  /** Customer messages not yet consumed by an ask/csat, and agent messages for the relay. */
  readonly inbox: InboundMessage[] = [];
  readonly agentInbox: InboundMessage[] = [];
  /** Business and agent events not yet consumed. */
  readonly events: (BusinessEvent & { receivedAt: number })[] = [];
  private readonly seenEventIds: string[] = [];
  private readonly seenEventSet = new Set<string>();

  /** Set while the main loop is blocked in a wait; `wakeup` is what would unblock it. */
  blocked = false;
  private wakeup: () => boolean = () => false;
  /**
   * What each side has been shown: a customer's turn returns what the bot, agents and the system said
   * since the customer's last turn; an agent's turn returns what the customer said since the agent's.
   */
  deliveredCursor = 0;
  agentCursor = 0;
  updatesInFlight = 0;
  updatesHandled = 0;
  stepsSinceWait = 0;
  /** Rule and template work units spent since the last wait (see RunLimits.maxWorkWithoutWait). */
  workSinceWait = 0;

  private seq = 0;
  private buffer: RecordedRunEvent[] = [];
  private flushes: Promise<unknown>[] = [];

  /** Which interpreter changes apply to this run (see patches.ts). */
  readonly patches: Patches = decidePatches();

  constructor(
    readonly input: FlowRunInput,
    definition: FlowDefinition,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...(input.limits ?? {}) };
    for (const node of definition.nodes) this.nodes.set(node.id, node);
    for (const edge of definition.edges) this.edges.set(`${edge.source}\u0000${edge.sourceHandle}`, edge.target);
    this.vars = {};
    for (const v of definition.variables ?? []) if (v.default !== undefined) this.vars[v.name] = cloneJson(v.default);
    this.startedAt = this.nowIso();
    const carried = input.carried;
    if (carried) this.restore(carried);
  }

  get locale(): 'es' | 'en' {
    return this.input.locale ?? 'es';
  }

  get finished(): boolean {
    return this.status === 'completed' || this.status === 'failed' || this.status === 'cancelled';
  }

  now(): number {
    return Date.now(); // the workflow's deterministic clock
  }

  /** The workflow clock as ISO text; it stands still within a workflow task, so it is cached. */
  nowIso(): string {
    const now = this.now();
    if (now !== this.isoAt) {
      this.isoAt = now;
      this.iso = new Date(now).toISOString();
    }
    return this.iso;
  }

  private isoAt = NaN;
  private iso = '';

  next(nodeId: string, branch: string): string | undefined {
    return this.edges.get(`${nodeId}\u0000${branch}`);
  }

  hasEdge(nodeId: string, branch: string): boolean {
    return this.edges.has(`${nodeId}\u0000${branch}`);
  }

  label(node: FlowNode): string {
    const label = (node.data as { label?: unknown }).label;
    return typeof label === 'string' && label ? `"${label}" (${node.id})` : `"${node.id}"`;
  }

  /** What rules and templates read. Built per use: cheap, and always current. */
  scope(extra: Partial<FlowScope> & Record<string, unknown> = {}): FlowScope & Record<string, unknown> {
    return {
      input: this.input.input ?? {},
      vars: this.vars,
      customer: this.customer,
      last: this.last,
      run: {
        id: this.runId,
        flowId: this.input.flowId,
        version: this.input.version,
        channel: this.input.channel ?? 'chat',
        startedAt: this.startedAt,
        now: this.now(),
        customerId: this.input.customerId,
      },
      nodes: this.outputs,
      ...extra,
    };
  }

  render(node: FlowNode, source: string, field: string, extra: Record<string, unknown> = {}): string {
    // Text without Liquid markup renders as itself (the engine would output it verbatim).
    if (typeof source === 'string' && source.length <= DEFAULT_MAX_OUTPUT && !source.includes('{{') && !source.includes('{%')) return source;
    try {
      return renderTemplate(source, this.scope(extra), { locale: this.locale });
    } catch (err) {
      throw new NodeError(node.id, `Node ${this.label(node)}: the template in "${field}" failed: ${(err as Error).message}`, err);
    }
  }

  text(key: TextKey, node: FlowNode, custom: string | undefined, extra: Record<string, unknown> = {}): string {
    return this.render(node, custom ?? DEFAULT_TEXTS[this.locale][key], `messages.${key}`, extra);
  }

  // ---- conversation ---------------------------------------------------------------------------
  say(nodeId: string, text: string, options: { from?: 'bot' | 'agent' | 'system'; buttons?: { label: string; value: string }[] } = {}): void {
    const entry: TranscriptEntry = { from: options.from ?? 'bot', text, at: this.nowIso(), nodeId };
    if (options.buttons?.length) entry.buttons = options.buttons;
    this.transcript.push(entry);
    this.emit('message.out', nodeId, { text, from: entry.from, ...(entry.buttons ? { buttons: entry.buttons.length } : {}) });
  }

  receive(message: InboundMessage): void {
    const from = message.from ?? 'customer';
    const at = this.nowIso();
    this.transcript.push({ from, text: message.text, at });
    if (from === 'agent') {
      this.agentInbox.push(message);
    } else {
      this.last = { text: message.text, at, ...(message.channel ? { channel: message.channel } : {}) };
      this.inbox.push(message);
    }
    this.emit('message.in', this.currentNode ?? undefined, {
      from,
      length: message.text.length,
      waitingFor: this.waitingFor,
      ...(typeof message.receivedAt === 'number' ? { receivedAt: message.receivedAt } : {}),
    });
  }

  /** Replies not yet returned to this side of the conversation; `peek` leaves them undelivered. */
  takeReplies(audience: 'customer' | 'agent' = 'customer', peek = false) {
    const start = audience === 'customer' ? this.deliveredCursor : this.agentCursor;
    const shown = (e: TranscriptEntry) => (audience === 'customer' ? e.from !== 'customer' : e.from === 'customer' || e.from === 'system');
    const replies = this.transcript
      .slice(start)
      .filter(shown)
      .map((e) => ({ from: e.from as 'bot' | 'agent' | 'system', text: e.text, at: e.at, ...(e.nodeId ? { nodeId: e.nodeId } : {}), ...(e.buttons ? { buttons: e.buttons } : {}) }));
    if (peek) return replies;
    if (audience === 'customer') this.deliveredCursor = this.transcript.length;
    else this.agentCursor = this.transcript.length;
    return replies;
  }

  // ---- events -------------------------------------------------------------------------------
  acceptEvent(event: BusinessEvent): boolean {
    if (event.id) {
      if (this.seenEventSet.has(event.id)) return false;
      this.seenEventSet.add(event.id);
      this.seenEventIds.push(event.id);
      if (this.seenEventIds.length > MAX_SEEN_EVENT_IDS) this.seenEventSet.delete(this.seenEventIds.shift()!);
    }
    this.bufferEvent(event);
    this.emit('event.received', this.currentNode ?? undefined, { type: event.type });
    return true;
  }

  takeEvent(match: (e: BusinessEvent) => boolean): BusinessEvent | undefined {
    const index = this.events.findIndex(match);
    if (index < 0) return undefined;
    const [taken] = this.events.splice(index, 1);
    this.bufferedEventChars -= eventChars(taken);
    return taken;
  }

  private bufferedEventChars = 0;

  /** Keeps an event for a later waitForEvent, dropping the oldest beyond the count and size bounds. */
  private bufferEvent(event: BusinessEvent): void {
    this.events.push({ ...event, receivedAt: this.now() });
    this.bufferedEventChars += eventChars(event);
    while (this.events.length > 1 && (this.events.length > MAX_BUFFERED_EVENTS || this.bufferedEventChars > MAX_BUFFERED_EVENT_CHARS)) {
      this.bufferedEventChars -= eventChars(this.events.shift()!);
    }
  }

  // ---- waiting ------------------------------------------------------------------------------
  /**
   * Blocks the run until `ready()` or the deadline (epoch ms). While blocked, the run counts as idle
   * for the chat turn, and buffered run events are flushed when the wait goes on for a while.
   * Returns false on timeout.
   */
  async waitUntil(kind: WaitingFor, ready: () => boolean, deadline?: number): Promise<boolean> {
    if (ready()) return true;
    this.waitingFor = kind;
    this.status = 'waiting';
    this.blocked = true;
    this.wakeup = ready;
    this.stepsSinceWait = 0;
    this.workSinceWait = 0;
    try {
      for (;;) {
        // Conversations that wait for a reply flush on idle; other waits are long, so flush now.
        if (kind !== 'reply' && kind !== 'agent') this.flush();
        else if (this.buffer.length >= this.limits.flushThreshold) this.flush();
        const remaining = deadline === undefined ? undefined : Math.max(0, deadline - this.now());
        if (this.patches.sharedIdleFlushTimer) {
          // One timer per idle window, started with the first unwritten event and kept across turns:
          // a chat turn then adds no timer to the history (measured in bench/chat-turn.ts).
          this.scheduleIdleFlush();
          return remaining === undefined ? (await condition(ready), true) : await condition(ready, remaining);
        }
        const slice = this.buffer.length > 0 ? Math.min(remaining ?? Infinity, this.limits.flushIdleMs) : remaining;
        const woke = slice === undefined || slice === Infinity ? (await condition(ready), true) : await condition(ready, slice);
        if (woke) return true;
        if (deadline !== undefined && this.now() >= deadline) return false;
        this.flush(); // idle for a while: let the KPIs see what happened so far
      }
    } finally {
      this.blocked = false;
      this.wakeup = () => false;
      this.waitingFor = null;
      this.status = 'running';
    }
  }

  private idleFlushScheduled = false;

  /** Writes the buffered events once they have waited `flushIdleMs`, whatever the run does meanwhile. */
  private scheduleIdleFlush(): void {
    if (this.idleFlushScheduled || this.buffer.length === 0 || this.input.test) return;
    this.idleFlushScheduled = true;
    sleep(this.limits.flushIdleMs).then(
      () => {
        this.idleFlushScheduled = false;
        this.flush();
      },
      () => {
        this.idleFlushScheduled = false;
      },
    );
  }

  /** Blocks the run on other work (a child run) that the chat turn should not wait for. */
  async waitFor<T>(kind: WaitingFor, work: () => Promise<T>): Promise<T> {
    this.waitingFor = kind;
    this.status = 'waiting';
    this.blocked = true;
    this.wakeup = () => false;
    this.flush();
    try {
      return await work();
    } finally {
      this.blocked = false;
      this.waitingFor = null;
      this.status = 'running';
    }
  }

  /** Before continue-as-new: the run counts as idle so chat turns in flight return their replies. */
  park(kind: WaitingFor): void {
    this.waitingFor = kind;
    this.status = 'waiting';
    this.blocked = true;
    this.wakeup = () => false;
  }

  /** True when the main loop waits and nothing it waits for has arrived: the chat turn is over. */
  idle(): boolean {
    return this.finished || (this.blocked && !this.wakeup());
  }

  // ---- run events ---------------------------------------------------------------------------
  /**
   * Records a run event of the contract (contracts/run-events.ts): the data's shape is checked
   * against its type, and an event without data takes none.
   */
  emit<K extends RunEventType>(type: K, nodeId: string | undefined, ...[data]: EventData<K>): void {
    const seq = ++this.seq;
    const at = this.nowIso();
    this.buffer.push(nodeId ? (data ? { seq, type, nodeId, data, at } : { seq, type, nodeId, at }) : data ? { seq, type, data, at } : { seq, type, at });
  }

  /** Sends the buffered events in one activity, without blocking the run; `drain` awaits them all. */
  flush(viaLocalActivity = false): void {
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    const batch = { runId: this.runId, flowId: this.input.flowId, version: this.input.version, customerId: this.input.customerId, events };
    // Test runs of drafts from the editor's simulator do not feed the KPIs.
    if (this.input.test) return;
    const pending = (viaLocalActivity ? local.recordRunEvents : recordRunEvents)(batch).catch(() => undefined);
    this.flushes.push(pending);
  }

  /** Waits for flushes already sent, without sending the buffer (continue-as-new carries it). */
  async settleFlushes(): Promise<void> {
    const pending = this.flushes;
    this.flushes = [];
    if (pending.length) await Promise.all(pending);
  }

  async drain(viaLocalActivity = false): Promise<void> {
    this.flush(viaLocalActivity);
    const pending = this.flushes;
    this.flushes = [];
    if (pending.length) await Promise.all(pending);
  }

  get bufferedEvents(): number {
    return this.buffer.length;
  }

  // ---- path ---------------------------------------------------------------------------------
  enter(node: FlowNode): PathStep {
    this.currentNode = node.id;
    this.visits[node.id] = (this.visits[node.id] ?? 0) + 1;
    const step: PathStep = { nodeId: node.id, type: node.type, enteredAt: this.nowIso() };
    this.path.push(step);
    if (this.path.length > CARRIED_TAIL * 5) this.path.splice(0, this.path.length - CARRIED_TAIL * 5);
    this.emit('node.entered', node.id, { type: node.type });
    return step;
  }

  leave(step: PathStep, branch: string | null, output?: unknown): void {
    step.leftAt = this.nowIso();
    step.branch = branch;
    if (output !== undefined) this.outputs[step.nodeId] = { output };
    this.emit('node.left', step.nodeId, { branch });
  }

  /** A key that is the same on every retry of this node visit and new for the next visit. */
  activityContext(node: FlowNode) {
    return {
      runId: this.runId,
      flowId: this.input.flowId,
      nodeId: node.id,
      idempotencyKey: `${this.runId}:${node.id}:${this.visits[node.id] ?? 1}`,
      ...(this.input.customerId ? { customerId: this.input.customerId } : {}),
    };
  }

  // ---- continue-as-new ----------------------------------------------------------------------
  shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return (
      this.updatesHandled >= this.limits.maxUpdatesPerExecution ||
      info.historyLength >= this.limits.maxHistoryEvents ||
      info.continueAsNewSuggested
    );
  }

  carry(resume: CarriedState['resume']): CarriedState {
    return {
      vars: this.vars,
      customer: this.customer,
      last: this.last,
      nodes: this.outputs,
      transcript: this.transcript.slice(-CARRIED_TAIL),
      path: this.path.slice(-CARRIED_TAIL),
      experiments: this.experiments,
      visits: this.visits,
      seenEventIds: this.seenEventIds,
      pendingMessages: [...this.inbox],
      pendingBusinessEvents: this.events.map(({ receivedAt: _, ...e }) => e),
      pendingEvents: this.buffer,
      seq: this.seq,
      startedAt: this.startedAt,
      continuedAsNew: this.continuedAsNew + 1,
      resume,
    };
  }

  private restore(c: CarriedState): void {
    this.vars = c.vars;
    this.customer = c.customer;
    this.last = c.last;
    this.outputs = c.nodes;
    this.transcript = c.transcript;
    this.deliveredCursor = c.transcript.length;
    this.agentCursor = c.transcript.length;
    this.path = c.path;
    this.experiments = c.experiments;
    this.visits = c.visits;
    for (const id of c.seenEventIds) {
      this.seenEventIds.push(id);
      this.seenEventSet.add(id);
    }
    this.inbox.push(...c.pendingMessages);
    for (const e of c.pendingBusinessEvents ?? []) this.bufferEvent(e);
    this.buffer = [...(c.pendingEvents ?? [])];
    this.seq = c.seq;
    this.startedAt = c.startedAt;
    this.continuedAsNew = c.continuedAsNew;
  }

  snapshot(): RunSnapshot {
    return {
      runId: this.runId,
      flowId: this.input.flowId,
      version: this.input.version,
      ...(this.input.customerId ? { customerId: this.input.customerId } : {}),
      status: this.status,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      currentNode: this.currentNode,
      waitingFor: this.waitingFor,
      vars: this.vars,
      customer: this.customer,
      transcript: this.transcript,
      path: this.path,
      nodes: this.outputs,
      ...(this.escalation ? { escalation: this.escalation } : {}),
      experiments: this.experiments,
      ...(this.error ? { error: this.error } : {}),
      continuedAsNew: this.continuedAsNew,
    };
  }
}

/** Turns an activity failure into the node's `error` branch when it has one, or a NodeError. */
export function describeFailure(err: unknown): string {
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) return cause.message;
    return cause?.message ?? err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
