import { workflowInfo } from '@temporalio/workflow';
import type { RunEventDataByType, RunEventType } from '../../contracts/run-events';
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
// The language's modules one by one, not its index: the index pulls in the node catalog and its zod
// schemas, which every new workflow would otherwise initialize (measured in bench/api-conversations.ts).
import type { FlowDefinition, FlowNode, FlowScope } from '../language';
import { DEFAULT_MAX_OUTPUT, renderTemplate } from '../language/templates';
import { cloneJson } from './clone';
import { NodeError } from './node-error';
import { LEGACY_ENGINE, type RunEngine } from './engine';
import type { Patches } from './patches';
import { CARRIED_TAIL, carryState, restoreState, shouldContinueAsNew } from './run-carry';
import { Conversation } from './run-conversation';
import { EventInbox } from './run-event-inbox';
import { RunEventLog } from './run-event-log';
import { RunWaits } from './run-waits';
import { DEFAULT_TEXTS, TextKey } from './texts';

/** The data argument of `emit`: required when the event carries data, absent when it carries none. */
type EventData<K extends RunEventType> = RunEventDataByType[K] extends undefined ? [] : [data: RunEventDataByType[K]];

/**
 * The state of one run and the primitives node handlers use: the scope for rules and templates,
 * saying things to the customer, waiting durably for replies, events or time, and recording the run
 * events that feed the KPIs. Deterministic: time comes from the workflow clock, no I/O. Each job
 * lives in a file of its own beside this one (run-conversation, run-event-inbox, run-waits,
 * run-event-log, run-carry); this class holds the state and gives handlers one object to call.
 */
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
  path: PathStep[] = [];
  experiments: Record<string, string> = {};
  visits: Record<string, number> = {};
  escalation?: EscalationState;
  error?: { nodeId?: string; message: string };
  startedAt: string;
  continuedAsNew = 0;

  updatesInFlight = 0;
  updatesHandled = 0;
  stepsSinceWait = 0;
  /** Rule and template work units spent since the last wait (see RunLimits.maxWorkWithoutWait). */
  workSinceWait = 0;

  readonly conversation: Conversation = new Conversation(this);
  readonly eventInbox = new EventInbox();
  readonly log: RunEventLog;
  readonly waits: RunWaits = new RunWaits(this);

  /** Which interpreter changes apply to this run (see patches.ts). */
  readonly patches: Patches;

  constructor(
    readonly input: FlowRunInput,
    definition: FlowDefinition,
    /** What the run's workflow type records around the walk (engine.ts). */
    readonly engine: RunEngine = LEGACY_ENGINE,
  ) {
    // Decided first, as the first commands of the execution (patch markers, if any).
    this.patches = engine.decidePatches();
    this.limits = { ...DEFAULT_LIMITS, ...(input.limits ?? {}) };
    this.log = new RunEventLog(this.runId, input, engine.runLog === 'sink');
    for (const node of definition.nodes) this.nodes.set(node.id, node);
    for (const edge of definition.edges) this.edges.set(`${edge.source}\u0000${edge.sourceHandle}`, edge.target);
    this.vars = {};
    for (const v of definition.variables ?? []) if (v.default !== undefined) this.vars[v.name] = cloneJson(v.default);
    this.startedAt = this.nowIso();
    if (input.carried) restoreState(this, input.carried);
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

  // ---- the graph and the scope --------------------------------------------------------------
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

  // ---- conversation (run-conversation.ts) ---------------------------------------------------
  get transcript(): TranscriptEntry[] {
    return this.conversation.transcript;
  }

  get inbox(): InboundMessage[] {
    return this.conversation.inbox;
  }

  get agentInbox(): InboundMessage[] {
    return this.conversation.agentInbox;
  }

  // ---- business events (run-event-inbox.ts) -------------------------------------------------
  acceptEvent(event: BusinessEvent): boolean {
    if (!this.eventInbox.accept(event, this.now())) return false;
    this.emit('event.received', this.currentNode ?? undefined, { type: event.type });
    return true;
  }

  takeEvent(match: (e: BusinessEvent) => boolean): BusinessEvent | undefined {
    return this.eventInbox.take(match);
  }

  // ---- waits (run-waits.ts) -----------------------------------------------------------------
  /** Blocks the run until `ready()` or the deadline (epoch ms); false on timeout. */
  waitUntil(kind: WaitingFor, ready: () => boolean, deadline?: number): Promise<boolean> {
    return this.waits.until(kind, ready, deadline);
  }

  /** Blocks the run on other work (a child run) that the chat turn should not wait for. */
  waitFor<T>(kind: WaitingFor, work: () => Promise<T>): Promise<T> {
    return this.waits.for(kind, work);
  }

  /** True when the main loop waits and nothing it waits for has arrived: the chat turn is over. */
  idle(): boolean {
    return this.waits.idle();
  }

  // ---- run events (run-event-log.ts) --------------------------------------------------------
  /**
   * Records a run event of the contract (contracts/run-events.ts): the data's shape is checked
   * against its type, and an event without data takes none.
   */
  emit<K extends RunEventType>(type: K, nodeId: string | undefined, ...[data]: EventData<K>): void {
    this.log.append(type, nodeId, data as Record<string, unknown> | undefined, this.nowIso());
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

  // ---- continue-as-new (run-carry.ts) -------------------------------------------------------
  shouldContinueAsNew(): boolean {
    return shouldContinueAsNew(this);
  }

  carry(resume: CarriedState['resume']): CarriedState {
    return carryState(this, resume);
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
