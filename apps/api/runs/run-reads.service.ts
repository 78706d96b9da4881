import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { RunSnapshot } from '../../../contracts/run';
import { FINISHED_STATUSES, statusFromTemporal } from '../../../contracts/run-status';
import { stateQuery } from '../../../contracts/run-wire';
import { readRunAttributes } from '../../../contracts/search-attributes';
import type { CauceConfig } from '../../../libs/config/config';
import { RunEventRepository } from '../../../libs/run-events/run-event.repository';
import { RunIndexRepository, type RunsDb } from '../../../libs/runs-index/run-index.repository';
import { CLOSED_WITHOUT_CODE } from '../../../upkeep/runs-reconciler/reconcile';
import type { Actor } from '../auth/actor';
import { decodeBytesCursor, encodeBytesCursor } from '../common/cursor';
import { rethrowTemporal } from '../common/temporal-errors';
import { CAUCE_CONFIG } from '../config.module';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import type { ListRunsQueryDto, RunDto, RunEventPageDto, RunEventsQueryDto, RunPageDto, RunSummaryDto } from './dto';
import { GRPC_INVALID_ARGUMENT } from './run-failures';
import { RUNS_DB } from './run-index.provider';
import { RunLookup } from './run-lookup';
import { dateOfTimestamp, listedRunAttributes, visibilityQuery } from './visibility';

/**
 * The run read models: one run, a listing, and a run's RUN events (what happened in it; not the
 * business events sent to it). Reads only: a GET may report a fresher view from Temporal than the
 * index holds (a run terminated from outside), but repairing the row is the reconciler's job.
 */
@Injectable()
export class RunReadsService {
  private readonly logger = new Logger('RunReadsService');

  constructor(
    private readonly lookup: RunLookup,
    private readonly runIndex: RunIndexRepository,
    @Inject(RUNS_DB) private readonly db: RunsDb,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(CAUCE_CONFIG) private readonly config: CauceConfig,
  ) {}

  async get(actor: Actor, runId: string): Promise<RunDto> {
    const ref = await this.lookup.access(actor, runId);
    let snapshot: RunSnapshot | undefined;
    try {
      snapshot = await this.client.withDeadline(Date.now() + 5_000, () => this.client.workflow.getHandle(runId).query(stateQuery));
    } catch (err) {
      this.logger.debug(`state of ${runId} unavailable: ${(err as Error).message}`);
    }
    let status = snapshot?.status ?? ref.status;
    let closedAt = ref.closedAt;
    if (!closedAt) {
      // The live state says it ended (test runs never write their row), or Temporal does; the row
      // itself is left to the reconciler (a GET never writes).
      try {
        const d = await this.client.workflow.getHandle(runId).describe();
        if (d.status.name !== 'RUNNING') {
          status = statusFromTemporal(d.status.name, snapshot?.status ?? readRunAttributes(d.typedSearchAttributes).status);
          closedAt = d.closeTime ?? new Date();
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
      waitingFor: closedAt ? null : (snapshot?.waitingFor ?? null),
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
      if ((err as { code?: number }).code === GRPC_INVALID_ARGUMENT)
        throw new BadRequestException(`Temporal refused the listing: ${(err as Error).message.replace(/^\d+ INVALID_ARGUMENT: /, '')}`);
      rethrowTemporal(err, 'list runs');
    }
    const executions = res.executions ?? [];
    const ids = executions.map((e) => e.execution?.workflowId ?? '').filter(Boolean);
    const byId = new Map((await this.runIndex.findMany(ids)).map((r) => [r.runId, r]));
    const items: RunSummaryDto[] = [];
    for (const e of executions) {
      const runId = e.execution?.workflowId ?? '';
      const row = byId.get(runId);
      const attrs = listedRunAttributes(e.searchAttributes?.indexedFields);
      const test = row?.test ?? false;
      if (test && !q.includeTest) continue;
      const open = e.status === 1;
      const startedAt = dateOfTimestamp(e.startTime) ?? row?.startedAt ?? new Date(0);
      const closedAt = dateOfTimestamp(e.closeTime) ?? row?.closedAt ?? null;
      items.push({
        runId,
        flowId: attrs.flowId ?? row?.flowId ?? null,
        version: attrs.version ?? row?.version ?? null,
        customerId: attrs.customerId ?? row?.customerId ?? null,
        // A finishing run records its final CauceStatus a moment before Temporal closes it.
        status: open
          ? attrs.status && FINISHED_STATUSES.has(attrs.status)
            ? attrs.status
            : 'running'
          : statusFromTemporal(e.status ?? undefined, row?.closedAt ? row.status : attrs.status),
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

  /** The RUN events a run recorded (node entered/left, messages, escalation, goals), in order: `GET /runs/:id/events`. */
  async listRunEvents(actor: Actor, runId: string, q: RunEventsQueryDto): Promise<RunEventPageDto> {
    await this.lookup.access(actor, runId);
    const limit = q.limit ?? 200;
    const rows = await new RunEventRepository(this.db).page(runId, q.afterSeq ?? 0, limit);
    return {
      items: rows.map((r) => ({ seq: r.seq, type: r.type, nodeId: r.node_id, data: r.data, occurredAt: r.occurred_at.toISOString() })),
      nextAfterSeq: rows.length === limit ? rows[rows.length - 1].seq : null,
    };
  }
}
