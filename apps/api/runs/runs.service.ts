import {
  BadRequestException,
  ConflictException,
  GatewayTimeoutException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Client, WithStartWorkflowOperation, WorkflowHandle, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, Repository } from 'typeorm';
import { CauceConfig } from '../../../libs/config/config';
import { closeRun, reconcileRun } from '../../../libs/runs-reconciler/reconcile';
import type { FlowDefinition, Locale } from '../../../workflows/language';
import { eventSignal, FLOW_RUN_WORKFLOW, messageUpdate, openingUpdate, stateQuery } from '../../../workflows/interpreter/definitions';
import type { FlowRunInput, MessageResult, RunSnapshot } from '../../../workflows/interpreter/types';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeFlow, hasRole, requireRole } from '../auth/actor';
import { decodeBytesCursor, encodeBytesCursor } from '../common/cursor';
import { isTemporalUnavailable, rethrowTemporal } from '../common/temporal-errors';
import { CAUCE_CONFIG } from '../config.module';
import { FlowsService } from '../flows/flows.service';
import { pgPoolOf } from '../knowledge/support';
import { startTrigger } from '../flows/triggers';
import { MetricsService } from '../metrics/metrics.service';
import { readRunAttributes, runSearchAttributes } from '../temporal/run-attributes';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import {
  CancelAcceptedDto,
  EventAcceptedDto,
  ListRunsQueryDto,
  MessageResultDto,
  PostMessageDto,
  PostRunEventDto,
  ReplyDto,
  RunDto,
  RunEventPageDto,
  RunEventsQueryDto,
  RunPageDto,
  RunStartedDto,
  RunSummaryDto,
  StartRunDto,
  TestRunDto,
} from './dto';
import { RunEntity } from './run.entity';
import { TurnTimingsService } from './turn-timings.service';
import { FINISHED_STATUSES, finishedRunRefusal, repliesOf, statusFromTemporal } from './run-status';
import { visibilityQuery } from './visibility';

/** How long a start waits for the run's opening messages before answering without them. */
export const OPENING_WAIT_MS = 2_000;
/** How long a chat turn may take before the API answers 504 (the message stays with the run). */
export const CHAT_TURN_TIMEOUT_MS = 30_000;
/** How long access() answers from what a start of this instance wrote (see startedRefs), and how many. */
const STARTED_REF_TTL_MS = 10_000;
const STARTED_REFS_MAX = 10_000;
/** A run row younger than this without a workflow may be a start in progress on another request. */
const START_GRACE_MS = 30_000;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_INVALID_ARGUMENT = 3;

export interface StartParams {
  actor: Actor;
  flowId: string;
  version: number;
  definition: FlowDefinition;
  input?: Record<string, unknown>;
  customerId?: string;
  key?: string;
  channel?: FlowRunInput['channel'];
  locale: Locale;
  trigger: 'api' | 'event' | 'test';
  test: boolean;
  /** Poll for the opening replies (API and test starts); event starts answer at once. */
  waitForOpening: boolean;
}

/** What the API knows of a run before asking Temporal: the index row, or the workflow's description. */
export interface RunRef {
  runId: string;
  flowId: string | null;
  version: number | null;
  customerId: string | null;
  startKey: string | null;
  status: string;
  outcome: string | null;
  test: boolean;
  trigger: string | null;
  startedAt: Date;
  closedAt: Date | null;
  repliesDeliveredUntil: Date | null;
}

interface RunRefRow {
  run_id: string;
  flow_id: string;
  version: number;
  customer_id: string | null;
  start_key: string | null;
  status: string;
  outcome: string | null;
  test: boolean;
  trigger: string | null;
  started_at: Date;
  closed_at: Date | null;
  replies_delivered_until: Date | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class RunsService {
  private readonly logger = new Logger('RunsService');

  constructor(
    @InjectRepository(RunEntity) private readonly runs: Repository<RunEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(CAUCE_CONFIG) private readonly config: CauceConfig,
    private readonly flows: FlowsService,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
    private readonly turnTimings: TurnTimingsService,
  ) {}

  // ---- starting runs ----------------------------------------------------------------------------
  async startFromApi(actor: Actor, flowId: string, dto: StartRunDto): Promise<RunStartedDto> {
    const { version, definition } = await this.flows.versionForRun(actor, flowId, dto.version);
    return this.startRun({
      actor,
      flowId,
      version,
      definition,
      input: dto.input,
      customerId: dto.customerId,
      key: dto.key,
      channel: dto.channel,
      locale: dto.locale ?? 'es',
      trigger: 'api',
      test: false,
      waitForOpening: true,
    });
  }

  /** A run of the current draft for the editor's simulator: validated first, kept out of the KPIs. */
  async startTest(actor: Actor, flowId: string, dto: TestRunDto, locale: Locale): Promise<RunStartedDto> {
    const { definition } = await this.flows.draftForTest(actor, flowId, locale);
    return this.startRun({
      actor,
      flowId,
      version: 0,
      definition,
      input: dto.input,
      customerId: dto.customerId,
      channel: dto.channel,
      locale: dto.locale ?? locale,
      trigger: 'test',
      test: true,
      waitForOpening: true,
    });
  }

  /**
   * Inserts the index row first: the unique index on open (flow, start key) makes the second of
   * two concurrent starts with one key find the first run instead of starting another.
   */
  async startRun(p: StartParams): Promise<RunStartedDto> {
    const runId = `run-${randomUUID()}`;
    let startedAt: Date;
    for (let attempt = 0; ; attempt++) {
      // ON CONFLICT on the partial unique index: a taken key is an answer, not an error to log.
      const inserted: { started_at: Date }[] = await this.dataSource.query(
        `INSERT INTO runs (run_id, flow_id, version, customer_id, start_key, status, test, trigger, started_by)
         VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8)
         ON CONFLICT (flow_id, start_key) WHERE start_key IS NOT NULL AND closed_at IS NULL DO NOTHING
         RETURNING started_at`,
        [runId, p.flowId, p.version, p.customerId ?? null, p.key ?? null, p.test, p.trigger, p.actor.id],
      );
      if (inserted.length === 1) {
        startedAt = inserted[0].started_at;
        break;
      }
      if (attempt >= 3) throw new ConflictException(`Another start with key "${p.key}" is in progress; retry`);
      const existing = await this.runs.findOne({ where: { flowId: p.flowId, startKey: p.key, closedAt: IsNull() } });
      if (existing && (await this.stillOpen(existing))) {
        return { runId: existing.runId, flowId: existing.flowId, version: existing.version, status: existing.status, created: false, replies: [], test: existing.test };
      }
      // The open run turned out closed (its row is reconciled now), or closed meanwhile: try again.
    }
    const start = startTrigger(p.definition);
    const input: FlowRunInput = {
      flowId: p.flowId,
      version: p.version,
      definition: p.definition,
      input: p.input ?? {},
      ...(p.customerId ? { customerId: p.customerId } : {}),
      ...(p.key ? { startKey: p.key } : {}),
      channel: p.channel ?? start?.channel ?? 'chat',
      locale: p.locale,
      ...(p.test ? { test: true } : {}),
    };
    const options = {
      taskQueue: this.config.temporal.taskQueue,
      workflowId: runId,
      args: [input] as [FlowRunInput],
      typedSearchAttributes: runSearchAttributes({ flowId: p.flowId, version: p.version, customerId: p.customerId }),
    };
    if (!p.waitForOpening) {
      try {
        await this.client.workflow.start(FLOW_RUN_WORKFLOW, options);
      } catch (err) {
        await this.runs.delete({ runId }).catch(() => undefined);
        rethrowTemporal(err, 'start the run');
      }
      this.metrics.runsStarted.inc({ trigger: p.trigger });
      return { runId, flowId: p.flowId, version: p.version, status: 'running', created: true, replies: [], test: p.test };
    }
    const opening = await this.startWithOpening(runId, options);
    this.metrics.runsStarted.inc({ trigger: p.trigger });
    let until: Date | null = null;
    if (opening.replies.length) {
      until = new Date(Math.max(...opening.replies.map((r) => Date.parse(r.at))));
      await this.dataSource.query(`UPDATE runs SET replies_delivered_until = $2 WHERE run_id = $1`, [runId, until]);
    }
    if (!FINISHED_STATUSES.has(opening.status)) {
      this.rememberStarted({
        runId,
        flowId: p.flowId,
        version: p.version,
        customerId: p.customerId ?? null,
        startKey: p.key ?? null,
        status: 'running',
        outcome: null,
        test: p.test,
        trigger: p.trigger,
        startedAt,
        closedAt: null,
        repliesDeliveredUntil: until,
      });
    }
    return { runId, flowId: p.flowId, version: p.version, status: opening.status, created: true, replies: opening.replies, test: p.test };
  }

  /**
   * The index rows of runs this instance just started, as written, so the first access() after the
   * start (in a conversation, its first message) skips the lookup; used once, and only for a few
   * seconds. What a row holds does not change after the start except the closing (status, outcome,
   * closed_at), which a run seldom reaches before its first message; if it did, the message reaches
   * Temporal, whose refusal (the Update validator, or "not found") answers the same 409.
   */
  private readonly startedRefs = new Map<string, { ref: RunRef; expires: number }>();

  private rememberStarted(ref: RunRef): void {
    if (this.startedRefs.size >= STARTED_REFS_MAX) this.startedRefs.delete(this.startedRefs.keys().next().value as string);
    this.startedRefs.set(ref.runId, { ref, expires: Date.now() + STARTED_REF_TTL_MS });
  }

  /**
   * Starts the workflow and gets its opening messages in one round trip: the `opening` Update goes
   * with the start (update-with-start) and answers once the run first waits, or ends. Past
   * OPENING_WAIT_MS the start answers without them (the first chat turn returns them then). A worker
   * without that Update (an older version during a deploy) is asked through the state query instead.
   */
  private async startWithOpening(
    runId: string,
    options: Omit<ConstructorParameters<typeof WithStartWorkflowOperation>[1], 'workflowIdConflictPolicy'>,
  ): Promise<{ status: string; replies: ReplyDto[] }> {
    const deadline = Date.now() + OPENING_WAIT_MS;
    const startOperation = new WithStartWorkflowOperation(FLOW_RUN_WORKFLOW, { ...options, workflowIdConflictPolicy: 'FAIL' });
    try {
      const r = await this.client.withDeadline(deadline, () =>
        this.client.workflow.executeUpdateWithStart(openingUpdate, { startWorkflowOperation: startOperation, updateId: 'opening' }),
      );
      return { status: r.status, replies: r.replies };
    } catch (err) {
      const started = await startOperation.workflowHandle().then(
        () => true,
        () => false,
      );
      if (!started && !(await this.startedAnyway(runId, err))) {
        await this.runs.delete({ runId }).catch(() => undefined);
        rethrowTemporal(err, 'start the run');
      }
      // Started, but the Update was refused (a worker without it, a run that failed at once), or slow.
      if (err instanceof WorkflowUpdateFailedError) return this.openingReplies(runId, deadline);
      return { status: 'running', replies: [] };
    }
  }

  /** After a start whose answer was lost (a deadline, Temporal unreachable), whether the workflow exists. */
  private async startedAnyway(runId: string, err: unknown): Promise<boolean> {
    if (!isTemporalUnavailable(err) && !(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)) return false;
    try {
      await this.client.workflow.getHandle(runId).describe();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The bot's opening messages through the state query, polled until the run waits (or ends), until
   * the deadline. The first chat turn skips what was returned here (replies_delivered_until).
   */
  private async openingReplies(runId: string, deadline: number): Promise<{ status: string; replies: ReplyDto[] }> {
    const handle = this.client.workflow.getHandle(runId);
    while (Date.now() < deadline) {
      try {
        const s = await this.client.withDeadline(deadline, () => handle.query(stateQuery));
        if (s.waitingFor !== null || FINISHED_STATUSES.has(s.status)) return { status: s.status, replies: repliesOf(s.transcript) };
      } catch {
        // The first workflow task may not have run yet; try again until the deadline.
      }
      await sleep(20);
    }
    return { status: 'running', replies: [] };
  }

  /**
   * Whether an index row marked open really is; a closed one is reconciled the way the worker's
   * scheduled pass does it (libs/runs-reconciler), so a terminated run gets its `run.finished` either way.
   */
  private async stillOpen(row: RunEntity): Promise<boolean> {
    try {
      // No workflow: a start in progress on another request (within START_GRACE_MS), or one that failed half-way long ago.
      return (await reconcileRun({ db: pgPoolOf(this.dataSource), client: this.client }, row, { notFoundGraceMs: START_GRACE_MS })).open;
    } catch (err) {
      rethrowTemporal(err, 'check an open run');
    }
  }

  /** Closes the index row; a terminated or timed-out run also gets the `run.finished` its workflow never wrote. */
  private async markClosed(runId: string, status: string, closedAt: Date, outcome?: string): Promise<void> {
    await closeRun(pgPoolOf(this.dataSource), runId, { status, closedAt, outcome });
  }

  // ---- finding a run ----------------------------------------------------------------------------
  /**
   * The run, if the caller may see it: a key limited to some flows gets 404 for runs of others, so
   * run ids cannot be probed. Runs without an index row (scheduled, sub-flows) are described by Temporal.
   */
  async access(actor: Actor, runId: string): Promise<RunRef> {
    const notFound = () => new NotFoundException(`Run ${runId} not found`);
    const started = this.startedRefs.get(runId);
    if (started) {
      this.startedRefs.delete(runId);
      if (started.expires > Date.now()) {
        if (!canSeeFlow(actor, started.ref.flowId)) throw notFound();
        return started.ref;
      }
    }
    // One indexed lookup per chat turn: plain SQL (the entity manager costs more than the query here).
    const rows: RunRefRow[] = await this.dataSource.query(
      `SELECT run_id, flow_id, version, customer_id, start_key, status, outcome, test, trigger, started_at, closed_at, replies_delivered_until
         FROM runs WHERE run_id = $1`,
      [runId],
    );
    const row = rows[0];
    if (row) {
      if (!canSeeFlow(actor, row.flow_id)) throw notFound();
      return {
        runId: row.run_id,
        flowId: row.flow_id,
        version: row.version,
        customerId: row.customer_id,
        startKey: row.start_key,
        status: row.status,
        outcome: row.outcome,
        test: row.test,
        trigger: row.trigger,
        startedAt: row.started_at,
        closedAt: row.closed_at,
        repliesDeliveredUntil: row.replies_delivered_until,
      };
    }
    let d;
    try {
      d = await this.client.workflow.getHandle(runId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound();
      rethrowTemporal(err, 'read the run');
    }
    if (d.type !== FLOW_RUN_WORKFLOW) throw notFound();
    const attrs = readRunAttributes(d.typedSearchAttributes);
    if (!canSeeFlow(actor, attrs.flowId)) throw notFound();
    return {
      runId,
      flowId: attrs.flowId ?? null,
      version: attrs.version ?? null,
      customerId: attrs.customerId ?? null,
      startKey: null,
      status: statusFromTemporal(d.status.name, attrs.status),
      outcome: null,
      test: false,
      trigger: runId.startsWith('run-sched-') ? 'schedule' : null,
      startedAt: d.startTime,
      closedAt: d.closeTime ?? null,
      repliesDeliveredUntil: null,
    };
  }

  /** 409 for a run that ended, with its status. */
  private finishedConflict(ref: Pick<RunRef, 'runId'>, status: string, outcome: string | null | undefined, what: string): ConflictException {
    return new ConflictException({
      message: `Run ${ref.runId} is ${status}${outcome ? ` (${outcome})` : ''} and takes no more ${what}`,
      details: { runId: ref.runId, status, ...(outcome ? { outcome } : {}) },
    });
  }

  /** After Temporal said "not found" for a run we know: it closed (409) or its history is gone (404). */
  private async closedOrGone(ref: RunRef, what: string): Promise<HttpException> {
    try {
      const d = await this.client.workflow.getHandle(ref.runId).describe();
      const status = statusFromTemporal(d.status.name, readRunAttributes(d.typedSearchAttributes).status);
      if (status !== 'running') {
        await this.markClosed(ref.runId, status, d.closeTime ?? new Date());
        const row = await this.runs.findOne({ where: { runId: ref.runId } });
        return this.finishedConflict(ref, status, row?.outcome, what);
      }
      return new ConflictException(`Run ${ref.runId} could not take the ${what}; retry`);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return new NotFoundException(`Run ${ref.runId} not found in Temporal (its history may have expired)`);
      rethrowTemporal(err, 'read the run');
    }
  }

  private checkAct(actor: Actor, ref: RunRef, roles: ('operator' | 'system')[], what: string): void {
    // The editor's simulator drives its own test runs: customer and agent messages, events, cancel.
    if (ref.test && hasRole(actor, 'editor')) return;
    requireRole(actor, roles, what);
  }

  // ---- the chat turn ------------------------------------------------------------------------------
  async message(actor: Actor, runId: string, dto: PostMessageDto): Promise<MessageResultDto> {
    // The customer's wait starts now: the response-time KPI and the chat-turn histogram both count
    // the run lookup, not only Temporal's part.
    const started = performance.now();
    const receivedAt = Date.now();
    const ref = await this.access(actor, runId);
    const from = dto.from ?? 'customer';
    if (from === 'agent') this.checkAct(actor, ref, ['operator'], 'An agent message');
    else this.checkAct(actor, ref, ['system'], 'A customer message');
    // A retried message (same id) still gets its answer from Temporal after the run closed.
    if (ref.closedAt && !dto.id) throw this.finishedConflict(ref, ref.status, ref.outcome, 'messages');

    let result: MessageResult;
    try {
      const handle: WorkflowHandle = this.client.workflow.getHandle(runId);
      result = await this.client.withDeadline(Date.now() + CHAT_TURN_TIMEOUT_MS, () =>
        handle.executeUpdate(messageUpdate, {
          args: [{ text: dto.text, from, ...(dto.id ? { id: dto.id } : {}), ...(dto.agent ? { agent: dto.agent } : {}), ...(dto.channel ? { channel: dto.channel } : {}), receivedAt }],
          updateId: dto.id ?? randomUUID(),
        }),
      );
    } catch (err) {
      this.metrics.chatTurnDuration.observe({ result: 'error' }, (performance.now() - started) / 1000);
      throw await this.messageError(ref, err);
    }
    this.metrics.chatTurnDuration.observe({ result: 'ok' }, (performance.now() - started) / 1000);
    // The customer's first turn starts with the opening messages the start call already returned.
    // (An agent's turn answers with what the customer said since the agent's last turn.)
    const cutoff = from === 'customer' ? ref.repliesDeliveredUntil?.getTime() : undefined;
    const replies = cutoff === undefined ? result.replies : result.replies.filter((r) => Date.parse(r.at) > cutoff);
    if (from === 'customer' && replies.length > 0 && !ref.test) this.turnTimings.record({ runId, receivedAt, repliedAt: receivedAt + (performance.now() - started) });
    return {
      runId,
      replies,
      status: result.status,
      waitingFor: result.waitingFor,
      currentNode: result.currentNode,
      ...(result.outcome ? { outcome: result.outcome } : {}),
    };
  }

  private async messageError(ref: RunRef, err: unknown): Promise<unknown> {
    if (err instanceof WorkflowUpdateFailedError) {
      const why = err.cause?.message ?? err.message;
      const finished = finishedRunRefusal(why);
      if (finished) return this.finishedConflict(ref, finished.status, finished.outcome, 'messages');
      if (/Too many messages in flight/.test(why)) return new HttpException({ message: why }, HttpStatus.TOO_MANY_REQUESTS);
      return new BadRequestException(why);
    }
    if (err instanceof WorkflowNotFoundError) return this.closedOrGone(ref, 'messages');
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (err as { code?: number })?.code === GRPC_DEADLINE_EXCEEDED) {
      return new GatewayTimeoutException(`Run ${ref.runId} did not answer within ${CHAT_TURN_TIMEOUT_MS / 1000} s (is a worker running?); the message is kept by the run`);
    }
    if (isTemporalUnavailable(err)) return new HttpException({ message: 'Temporal did not answer; retry the message with the same id' }, HttpStatus.SERVICE_UNAVAILABLE);
    return err;
  }

  // ---- events and cancel --------------------------------------------------------------------------
  async event(actor: Actor, runId: string, dto: PostRunEventDto): Promise<EventAcceptedDto> {
    const ref = await this.access(actor, runId);
    if (dto.type.startsWith('agent.')) this.checkAct(actor, ref, ['operator'], 'An agent event');
    else this.checkAct(actor, ref, ['system'], 'A business event');
    if (ref.closedAt) throw this.finishedConflict(ref, ref.status, ref.outcome, 'events');
    this.metrics.eventsReceived.inc({ route: 'run' });
    try {
      await this.client.workflow.getHandle(runId).signal(eventSignal, { type: dto.type, ...(dto.data ? { data: dto.data } : {}), ...(dto.id ? { id: dto.id } : {}) });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await this.closedOrGone(ref, 'events');
      rethrowTemporal(err, 'deliver the event');
    }
    return { runId, type: dto.type, accepted: true };
  }

  /** Signals an event to a run the caller already resolved; false when the run turned out closed. */
  async deliver(runId: string, event: { type: string; data?: Record<string, unknown>; id?: string }): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(runId).signal(eventSignal, event);
      return true;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) rethrowTemporal(err, 'deliver the event');
      const row = await this.runs.findOne({ where: { runId } });
      if (row) await this.stillOpen(row);
      return false;
    }
  }

  async cancel(actor: Actor, runId: string): Promise<CancelAcceptedDto> {
    const ref = await this.access(actor, runId);
    this.checkAct(actor, ref, ['operator'], 'Cancelling a run');
    if (ref.closedAt) throw this.finishedConflict(ref, ref.status, ref.outcome, 'commands');
    try {
      await this.client.workflow.getHandle(runId).cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await this.closedOrGone(ref, 'commands');
      rethrowTemporal(err, 'cancel the run');
    }
    await this.audit.record(actor, 'run.cancelled', { type: 'run', id: runId }, { flowId: ref.flowId, version: ref.version });
    return { runId, status: 'cancelling' };
  }

  /** Open, non-test runs of a customer (for POST /events), within the caller's flows. */
  async openRunsOfCustomer(actor: Actor, customerId: string): Promise<RunEntity[]> {
    const rows = await this.runs.find({ where: { customerId, closedAt: IsNull(), test: false }, order: { startedAt: 'ASC' }, take: 200 });
    return rows.filter((r) => canSeeFlow(actor, r.flowId));
  }

  async openRunOf(flowId: string, customerId: string): Promise<RunEntity | null> {
    const rows = await this.runs.find({ where: { flowId, customerId, closedAt: IsNull(), test: false }, order: { startedAt: 'DESC' }, take: 5 });
    for (const row of rows) if (await this.stillOpen(row)) return row;
    return null;
  }

  // ---- reading ------------------------------------------------------------------------------------
  async get(actor: Actor, runId: string): Promise<RunDto> {
    const ref = await this.access(actor, runId);
    let snapshot: RunSnapshot | undefined;
    try {
      snapshot = await this.client.withDeadline(Date.now() + 5_000, () => this.client.workflow.getHandle(runId).query(stateQuery));
    } catch (err) {
      this.logger.debug(`state of ${runId} unavailable: ${(err as Error).message}`);
    }
    let status = snapshot?.status ?? ref.status;
    let closedAt = ref.closedAt;
    if (!closedAt) {
      // The live state says it ended (test runs never write their row), or Temporal does.
      try {
        const d = await this.client.workflow.getHandle(runId).describe();
        if (d.status.name !== 'RUNNING') {
          status = statusFromTemporal(d.status.name, snapshot?.status ?? readRunAttributes(d.typedSearchAttributes).status);
          closedAt = d.closeTime ?? new Date();
          await this.markClosed(runId, status, closedAt, snapshot?.outcome);
        }
      } catch {
        // keep what we have
      }
    }
    return {
      runId,
      flowId: ref.flowId,
      version: ref.version,
      customerId: ref.customerId,
      startKey: ref.startKey,
      trigger: ref.trigger,
      test: ref.test,
      status,
      outcome: snapshot?.outcome ?? ref.outcome,
      startedAt: ref.startedAt.toISOString(),
      closedAt: closedAt ? closedAt.toISOString() : null,
      currentNode: snapshot?.currentNode ?? null,
      waitingFor: snapshot?.waitingFor ?? null,
      vars: snapshot?.vars ?? {},
      customer: snapshot?.customer ?? null,
      transcript: snapshot?.transcript ?? [],
      path: snapshot?.path ?? [],
      ...(snapshot?.escalation ? { escalation: snapshot.escalation } : {}),
      ...(snapshot?.error ? { error: snapshot.error } : {}),
      experiments: snapshot?.experiments ?? {},
      stateAvailable: snapshot !== undefined,
    };
  }

  /**
   * Runs through Temporal visibility (search attributes: flow, version, customer, status), one
   * page per call with Temporal's page token as the cursor, joined with the index rows for what
   * visibility does not hold (start key, outcome, trigger, test flag). Test runs are left out unless
   * asked for, so such a page can hold fewer than pageSize runs.
   */
  async list(actor: Actor, q: ListRunsQueryDto): Promise<RunPageDto> {
    const query = visibilityQuery({ ...q, scope: actor.flowIds });
    const pageSize = q.pageSize ?? 20;
    let res;
    try {
      res = await this.client.workflowService.listWorkflowExecutions({
        namespace: this.config.temporal.namespace,
        pageSize,
        query,
        ...(q.cursor ? { nextPageToken: decodeBytesCursor(q.cursor) } : {}),
      });
    } catch (err) {
      if ((err as { code?: number }).code === GRPC_INVALID_ARGUMENT) throw new BadRequestException(`Temporal refused the listing: ${(err as Error).message.replace(/^\d+ INVALID_ARGUMENT: /, '')}`);
      rethrowTemporal(err, 'list runs');
    }
    const executions = res.executions ?? [];
    const ids = executions.map((e) => e.execution?.workflowId ?? '').filter(Boolean);
    const rows = ids.length ? await this.runs.find({ where: { runId: In(ids) } }) : [];
    const byId = new Map(rows.map((r) => [r.runId, r]));
    const items: RunSummaryDto[] = [];
    for (const e of executions) {
      const runId = e.execution?.workflowId ?? '';
      const row = byId.get(runId);
      const attrs = readRunAttributes(decodeTypedSearchAttributes(e.searchAttributes?.indexedFields));
      const test = row?.test ?? false;
      if (test && !q.includeTest) continue;
      const open = e.status === 1;
      const startedAt = optionalTsToDate(e.startTime) ?? row?.startedAt ?? new Date(0);
      const closedAt = optionalTsToDate(e.closeTime) ?? row?.closedAt ?? null;
      items.push({
        runId,
        flowId: attrs.flowId ?? row?.flowId ?? null,
        version: attrs.version ?? row?.version ?? null,
        customerId: attrs.customerId ?? row?.customerId ?? null,
        // A finishing run records its final CauceStatus a moment before Temporal closes it.
        status: open ? (attrs.status && FINISHED_STATUSES.has(attrs.status) ? attrs.status : 'running') : statusFromTemporal(e.status ?? undefined, row?.closedAt ? row.status : attrs.status),
        outcome: row?.outcome ?? null,
        startKey: row?.startKey ?? null,
        trigger: row?.trigger ?? (runId.startsWith('run-sched-') ? 'schedule' : null),
        test,
        startedAt: startedAt.toISOString(),
        closedAt: open || !closedAt ? null : closedAt.toISOString(),
      });
    }
    const token = res.nextPageToken;
    return { items, nextCursor: token && token.length ? encodeBytesCursor(token) : null };
  }

  async events(actor: Actor, runId: string, q: RunEventsQueryDto): Promise<RunEventPageDto> {
    await this.access(actor, runId);
    const limit = q.limit ?? 200;
    const rows: { seq: number; type: string; node_id: string | null; data: Record<string, unknown>; occurred_at: Date }[] = await this.dataSource.query(
      `SELECT seq, type, node_id, data, occurred_at FROM run_events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [runId, q.afterSeq ?? 0, limit],
    );
    return {
      items: rows.map((r) => ({ seq: r.seq, type: r.type, nodeId: r.node_id, data: r.data, occurredAt: r.occurred_at.toISOString() })),
      nextAfterSeq: rows.length === limit ? rows[rows.length - 1].seq : null,
    };
  }
}
