import { ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WithStartWorkflowOperation, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { FlowRunInput } from '../../../contracts/run';
import { FINISHED_STATUSES } from '../../../contracts/run-status';
import { FLOW_RUN_WORKFLOW, openingUpdate, stateQuery } from '../../../contracts/run-wire';
import { runSearchAttributes } from '../../../contracts/search-attributes';
import type { CauceConfig } from '../../../libs/config/config';
import { RunIndexRepository, type RunIndexRow, type StartClaim } from '../../../libs/runs-index/run-index.repository';
import type { FlowDefinition, Locale } from '../../../workflows/language';
import type { Actor } from '../auth/actor';
import { isTemporalUnavailable, rethrowTemporal } from '../common/temporal-errors';
import { CAUCE_CONFIG } from '../config.module';
import { FlowsService } from '../flows/flows.service';
import { startTrigger } from '../flows/triggers';
import { MetricsService } from '../metrics/metrics.service';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import type { ReplyDto, RunStartedDto, StartRunDto, TestRunDto } from './dto';
import { startRefused, startUnavailable } from './run-failures';
import { RunLiveness } from './run-liveness';
import { RunLookup } from './run-lookup';
import { RepliesDeliveredService } from './replies-delivered.service';
import { repliesOf } from './run-status';

/** How long a start waits for the run's opening messages before answering without them. */
export const OPENING_WAIT_MS = 2_000;
/**
 * A keyed row without a workflow younger than this is taken over by the next start of its key;
 * older, it is closed (as the reconciler does after DEFAULT_NOT_FOUND_GRACE_MS, 5 min) and the key
 * starts a new run, so a start never races the scheduled pass over one row.
 */
const ADOPT_WITHIN_MS = 4 * 60_000;

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

type StartOptions = Omit<ConstructorParameters<typeof WithStartWorkflowOperation>[1], 'workflowIdConflictPolicy'>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starting runs: the idempotent start protocol (index row first, then Temporal) and the opening replies. */
@Injectable()
export class RunStartService {
  private readonly logger = new Logger('RunStartService');

  constructor(
    private readonly runIndex: RunIndexRepository,
    private readonly liveness: RunLiveness,
    private readonly lookup: RunLookup,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(CAUCE_CONFIG) private readonly config: CauceConfig,
    private readonly flows: FlowsService,
    private readonly metrics: MetricsService,
    private readonly repliesDelivered: RepliesDeliveredService,
  ) {}

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
    let claim: StartClaim | null = null;
    for (let attempt = 0; !claim; attempt++) {
      claim = await this.runIndex.claimStart({
        runId: fresh,
        flowId: p.flowId,
        version: p.version,
        customerId: p.customerId ?? null,
        startKey: p.key ?? null,
        test: p.test,
        trigger: p.trigger,
        startedBy: p.actor.id,
      });
      if (claim) break;
      if (attempt >= 3) throw new ConflictException(`Another start with key "${p.key}" is in progress; retry`);
      const existing = await this.runIndex.findOpenByKey(p.flowId, p.key as string);
      if (!existing) continue; // closed meanwhile: try again
      const state = await this.keyedRunState(existing);
      if (state === 'open') {
        return {
          runId: existing.runId,
          flowId: existing.flowId,
          version: existing.version,
          status: existing.status,
          created: false,
          replies: [],
          test: existing.test,
        };
      }
      if (state === 'absent') {
        // An earlier start of this key left its row but no workflow (it timed out, or is still on
        // its way to Temporal): this start takes it over with the same workflow id.
        claim = await this.runIndex.adoptStart(existing.runId, { version: p.version, customerId: p.customerId ?? null });
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
    const options: StartOptions = {
      taskQueue: this.config.temporal.taskQueue,
      workflowId: runId,
      // A run id is started once: a retry of a start whose run already ended must not start it again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      args: [input] as [FlowRunInput],
      typedSearchAttributes: runSearchAttributes({ flowId: p.flowId, version: p.version, customerId: p.customerId }),
    };
    const startedElsewhere = (): RunStartedDto => ({
      runId,
      flowId: p.flowId,
      version: p.version,
      status: 'running',
      created: false,
      replies: [],
      test: p.test,
    });
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
      // Kept here and written in a later batch, not before answering: what each client sees is in replies-delivered.service.ts.
      until = new Date(Math.max(...opening.replies.map((r) => Date.parse(r.at))));
      this.repliesDelivered.record(runId, until);
    }
    if (!FINISHED_STATUSES.has(opening.status)) {
      this.lookup.rememberStarted({
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
  private async keyedRunState(row: RunIndexRow): Promise<'open' | 'closed' | 'absent'> {
    try {
      const d = await this.client.workflow.getHandle(row.runId).describe();
      if (d.status.name === 'RUNNING') return 'open';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw startUnavailable(row.runId, err, 'check the run of this key');
      if (Date.now() - row.startedAt.getTime() < ADOPT_WITHIN_MS) return 'absent';
    }
    try {
      return (await this.liveness.reconcileNow(row)) ? 'open' : 'closed';
    } catch (err) {
      throw startUnavailable(row.runId, err, 'check the run of this key');
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
      await this.runIndex.releaseStart(claim).catch(() => undefined);
      rethrowTemporal(err, 'start the run');
    }
    this.logger.warn(`start of ${runId} unconfirmed, its row is kept for a retry: ${(err as Error)?.message ?? String(err)}`);
    throw startUnavailable(runId, err, 'confirm the start of the run');
  }

  /**
   * Starts the workflow and gets its opening messages in one round trip: the `opening` Update goes
   * with the start (update-with-start) and answers once the run first waits, or ends. Past
   * OPENING_WAIT_MS the start answers without them (the first chat turn returns them then). A worker
   * without that Update (an older version during a deploy) is asked through the state query instead.
   */
  private async startWithOpening(claim: StartClaim, options: StartOptions): Promise<{ status: string; replies: ReplyDto[] } | 'exists'> {
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
   * the deadline. The first chat turn skips what was returned here (replies-delivered.service.ts).
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
}
