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
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Client, WithStartWorkflowOperation, WorkflowHandle, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, Repository } from 'typeorm';
import { CauceConfig } from '../../../libs/config/config';
import { CLOSED_WITHOUT_CODE, closeRun, reconcileRun } from '../../../libs/runs-reconciler/reconcile';
import type { FlowDefinition, Locale } from '../../../workflows/language';
import { eventSignal, FLOW_RUN_WORKFLOW, messageUpdate, openingUpdate, stateQuery } from '../../../contracts/run-wire';
import type { FlowRunInput, MessageResult, RunSnapshot } from '../../../contracts/run';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeFlow, hasRole, requireRole } from '../auth/actor';
import { decodeBytesCursor, encodeBytesCursor } from '../common/cursor';
import { isTemporalUnavailable, rethrowTemporal } from '../common/temporal-errors';
import { CAUCE_CONFIG } from '../config.module';
import { FlowsService } from '../flows/flows.service';
import { pgPoolOf } from '../knowledge/support';
import { startTrigger } from '../flows/triggers';
import { MetricsService } from '../metrics/metrics.service';
import { readRunAttributes, runSearchAttributes } from '../../../contracts/search-attributes';
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
import { repliesOf } from './run-status';
import { FINISHED_STATUSES, statusFromTemporal } from '../../../contracts/run-status';
import { findFailure } from '../../../contracts/failures';
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
/**
 * A keyed row without a workflow younger than this is taken over by the next start of its key;
 * older, it is closed (as the reconciler does after DEFAULT_NOT_FOUND_GRACE_MS, 5 min) and the key
 * starts a new run, so a start never races the scheduled pass over one row.
 */
const ADOPT_WITHIN_MS = 4 * 60_000;
/**
 * gRPC codes with which Temporal refuses a start outright, having created nothing: INVALID_ARGUMENT,
 * NOT_FOUND (namespace), PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, UNIMPLEMENTED,
 * UNAUTHENTICATED. Any other failure (deadline, unavailable, cancelled, unknown, internal) may
 * have started the workflow.
 */
const START_REFUSED_CODES = new Set([3, 5, 7, 8, 9, 12, 16]);

export function startRefused(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return false;
  const code = (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'number' && START_REFUSED_CODES.has(code);
}

/** The index row a start owns: its own insert, or one an earlier start of the same key left. */
interface StartClaim {
  runId: string;
  startedAt: Date;
  /** As written by this start (text: microseconds, which a Date loses); a later claim changes it, so a failed start only deletes a row still its own. */
  updatedAt: string;
}

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
   * two concurrent starts with one key find the first run instead of starting another. The row's
   * run id is the workflow id, so the row is what ties a key to one workflow: it is kept whenever
   * the workflow may exist (a start that timed out, Temporal unreachable) and a retry with the same
   * key starts that same workflow id, which Temporal runs at most once (REJECT_DUPLICATE reuse, FAIL
   * on conflict: the one start Temporal accepts answers `created`, the others find the run). Run ids
   * stay random rather than derived from the key: a key is reused once its run closes, and a run id
   * must not be guessable from a key.
   */
  async startRun(p: StartParams): Promise<RunStartedDto> {
    const fresh = `run-${randomUUID()}`;
    let claim: StartClaim | undefined;
    for (let attempt = 0; !claim; attempt++) {
      // ON CONFLICT on the partial unique index: a taken key is an answer, not an error to log.
      const inserted: { started_at: Date; updated_at: string }[] = await this.dataSource.query(
        `INSERT INTO runs (run_id, flow_id, version, customer_id, start_key, status, test, trigger, started_by)
         VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8)
         ON CONFLICT (flow_id, start_key) WHERE start_key IS NOT NULL AND closed_at IS NULL DO NOTHING
         RETURNING started_at, updated_at::text AS updated_at`,
        [fresh, p.flowId, p.version, p.customerId ?? null, p.key ?? null, p.test, p.trigger, p.actor.id],
      );
      if (inserted.length === 1) {
        claim = { runId: fresh, startedAt: inserted[0].started_at, updatedAt: inserted[0].updated_at };
        break;
      }
      if (attempt >= 3) throw new ConflictException(`Another start with key "${p.key}" is in progress; retry`);
      const existing = await this.runs.findOne({ where: { flowId: p.flowId, startKey: p.key, closedAt: IsNull() } });
      if (!existing) continue; // closed meanwhile: try again
      const state = await this.keyedRunState(existing);
      if (state === 'open') {
        return { runId: existing.runId, flowId: existing.flowId, version: existing.version, status: existing.status, created: false, replies: [], test: existing.test };
      }
      if (state === 'absent') {
        // An earlier start of this key left its row but no workflow (it timed out, or is still on
        // its way to Temporal): this start takes it over with the same workflow id.
        // Through pg: TypeORM's query() wraps an UPDATE's RETURNING rows with the row count.
        const { rows: claimed } = await pgPoolOf(this.dataSource).query<{ started_at: Date; updated_at: string }>(
          `UPDATE runs SET version = $2, customer_id = $3, updated_at = clock_timestamp() WHERE run_id = $1 AND closed_at IS NULL RETURNING started_at, updated_at::text AS updated_at`,
          [existing.runId, p.version, p.customerId ?? null],
        );
        if (claimed.length === 1) claim = { runId: existing.runId, startedAt: claimed[0].started_at, updatedAt: claimed[0].updated_at };
      }
      // The open run turned out closed (its row is reconciled now), or closed meanwhile: try again.
    }
    const { runId, startedAt } = claim;
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
      // A run id is started once: a retry of a start whose run already ended must not start it again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      args: [input] as [FlowRunInput],
      typedSearchAttributes: runSearchAttributes({ flowId: p.flowId, version: p.version, customerId: p.customerId }),
    };
    const startedElsewhere = (): RunStartedDto => ({ runId, flowId: p.flowId, version: p.version, status: 'running', created: false, replies: [], test: p.test });
    if (!p.waitForOpening) {
      try {
        await this.client.workflow.start(FLOW_RUN_WORKFLOW, options);
      } catch (err) {
        // Another start of this key (a retry, a racing request) started this workflow id first.
        if (err instanceof WorkflowExecutionAlreadyStartedError) return startedElsewhere();
        if (!(await this.startedAnyway(runId, err))) await this.startFailed(claim, err);
      }
      this.metrics.runsStarted.inc({ trigger: p.trigger });
      return { runId, flowId: p.flowId, version: p.version, status: 'running', created: true, replies: [], test: p.test };
    }
    const opening = await this.startWithOpening(claim, options);
    if (opening === 'exists') return startedElsewhere();
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
   * What Temporal says of the workflow behind an open keyed row: running (`open`), ended (`closed`,
   * its row reconciled now), or unknown to it (`absent`: a start that never reached Temporal, or is
   * still on its way). A row older than the reconciler's grace is closed instead of taken over, so
   * the scheduled pass and a start never disagree about it. Temporal unreachable: 503.
   */
  private async keyedRunState(row: RunEntity): Promise<'open' | 'closed' | 'absent'> {
    try {
      const d = await this.client.workflow.getHandle(row.runId).describe();
      if (d.status.name === 'RUNNING') return 'open';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw this.startUnavailable(row.runId, err, 'check the run of this key');
      if (Date.now() - row.startedAt.getTime() < ADOPT_WITHIN_MS) return 'absent';
    }
    try {
      return (await reconcileRun({ db: pgPoolOf(this.dataSource), client: this.client }, row, { notFoundGraceMs: 0 })).open ? 'open' : 'closed';
    } catch (err) {
      throw this.startUnavailable(row.runId, err, 'check the run of this key');
    }
  }

  /**
   * A start Temporal refused or whose outcome is unknown. Refused outright (a gRPC code that means
   * nothing was created): the row goes, nothing runs. Otherwise the workflow may exist, or appear
   * later: the row stays, so a retry with the same key takes the same workflow id, and the client
   * gets 503 with Retry-After (the reconciler closes a row no workflow ever came for).
   */
  private async startFailed(claim: StartClaim, err: unknown): Promise<never> {
    const { runId } = claim;
    if (startRefused(err)) {
      // Only a row no other start took over since (the claim moves updated_at): its workflow id is ours alone.
      await this.dataSource.query(`DELETE FROM runs WHERE run_id = $1 AND updated_at = $2::timestamptz AND closed_at IS NULL`, [runId, claim.updatedAt]).catch(() => undefined);
      rethrowTemporal(err, 'start the run');
    }
    this.logger.warn(`start of ${runId} unconfirmed, its row is kept for a retry: ${(err as Error)?.message ?? String(err)}`);
    throw this.startUnavailable(runId, err, 'confirm the start of the run');
  }

  /** 503 naming the run, so a client can also follow it by id (the exception filter adds Retry-After to every 503). */
  private startUnavailable(runId: string, err: unknown, what: string): HttpException {
    if (err instanceof HttpException) return err;
    return new ServiceUnavailableException({
      message: `Temporal did not answer in time to ${what}; retry with the same key (a start without a key may start another run)`,
      details: { runId },
    });
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
    claim: StartClaim,
    options: Omit<ConstructorParameters<typeof WithStartWorkflowOperation>[1], 'workflowIdConflictPolicy'>,
  ): Promise<{ status: string; replies: ReplyDto[] } | 'exists'> {
    const { runId } = claim;
    const deadline = Date.now() + OPENING_WAIT_MS;
    // FAIL, not USE_EXISTING: of the starts that race for one workflow id exactly one is told it created the run.
    const startOperation = new WithStartWorkflowOperation(FLOW_RUN_WORKFLOW, { ...options, workflowIdConflictPolicy: 'FAIL' });
    try {
      const r = await this.client.withDeadline(deadline, () =>
        // An update id of this attempt's own: Temporal answers a repeated update id with the stored
        // outcome even where the start itself would fail (running, or closed and REJECT_DUPLICATE),
        // so a fixed id would make a second start of one run id look like it created the run.
        this.client.workflow.executeUpdateWithStart(openingUpdate, { startWorkflowOperation: startOperation, updateId: `opening-${randomUUID()}` }),
      );
      return { status: r.status, replies: r.replies };
    } catch (err) {
      const started = await startOperation.workflowHandle().then(
        () => true,
        (startErr: unknown) => (startErr instanceof WorkflowExecutionAlreadyStartedError ? ('exists' as const) : false),
      );
      if (started === 'exists') return 'exists';
      if (!started && !(await this.startedAnyway(runId, err))) await this.startFailed(claim, err);
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
      const refused = findFailure(err, 'RunFinished', 'TooManyMessagesInFlight', 'InvalidMessage');
      const why = refused?.message ?? err.cause?.message ?? err.message;
      switch (refused?.type) {
        case 'RunFinished': {
          const { status, outcome } = refused.details as { status: string; outcome?: string };
          return this.finishedConflict(ref, status, outcome, 'messages');
        }
        case 'TooManyMessagesInFlight':
          return new HttpException({ message: why }, HttpStatus.TOO_MANY_REQUESTS);
        default:
          return new BadRequestException(why);
      }
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
    // A run stopped from outside (terminated, timed out) still answers the state query from a
    // history that ends mid-wait ("waiting"): once it is closed, its closed status and outcome win.
    if (closedAt && !FINISHED_STATUSES.has(status)) status = FINISHED_STATUSES.has(ref.status) ? ref.status : 'terminated';
    const outcome = snapshot?.outcome ?? ref.outcome ?? (CLOSED_WITHOUT_CODE.has(status) ? status : null);
    return {
      runId,
      flowId: ref.flowId,
      version: ref.version,
      customerId: ref.customerId,
      startKey: ref.startKey,
      trigger: ref.trigger,
      test: ref.test,
      status,
      outcome,
      startedAt: ref.startedAt.toISOString(),
      closedAt: closedAt ? closedAt.toISOString() : null,
      currentNode: snapshot?.currentNode ?? null,
      waitingFor: closedAt ? null : snapshot?.waitingFor ?? null,
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
