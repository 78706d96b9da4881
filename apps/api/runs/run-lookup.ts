import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { FLOW_RUN_WORKFLOW_TYPES } from '../../../contracts/run-wire';
import { statusFromTemporal } from '../../../contracts/run-status';
import { readRunAttributes } from '../../../contracts/search-attributes';
import { RunIndexRepository, type RunIndexRow } from '../../../libs/runs-index/run-index.repository';
import { Actor, canSeeFlow, hasRole, requireRole } from '../auth/actor';
import { rethrowTemporal } from '../common/temporal-errors';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { RepliesDeliveredService } from './replies-delivered.service';

/** How long access() answers from what a start of this instance wrote (see startedRefs), and how many. */
const STARTED_REF_TTL_MS = 10_000;
const STARTED_REFS_MAX = 10_000;

/** What the API knows of a run before asking Temporal: the index row, or the workflow's description. */
export interface RunRef extends Omit<RunIndexRow, 'flowId' | 'version'> {
  flowId: string | null;
  version: number | null;
}

/** Whether the caller may act on the run: the role, except that the editor's simulator drives its own test runs. */
export function checkAct(actor: Actor, ref: Pick<RunRef, 'test'>, roles: ('operator' | 'system')[], what: string): void {
  if (ref.test && hasRole(actor, 'editor')) return;
  requireRole(actor, roles, what);
}

/**
 * Finding a run for a request: the run, if the caller may see it. Reads only; it never writes the
 * index, so a GET that goes through it mutates nothing.
 */
@Injectable()
export class RunLookup {
  constructor(
    private readonly runIndex: RunIndexRepository,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly repliesDelivered: RepliesDeliveredService,
  ) {}

  /**
   * The index rows of runs this instance just started, as written, so the first access() after the
   * start (in a conversation, its first message) skips the lookup; used once, and only for a few
   * seconds. What a row holds does not change after the start except the closing (status, outcome,
   * closed_at), which a run seldom reaches before its first message; if it did, the message reaches
   * Temporal, whose refusal (the Update validator, or "not found") answers the same 409.
   */
  private readonly startedRefs = new Map<string, { ref: RunRef; expires: number }>();

  rememberStarted(ref: RunRef): void {
    if (this.startedRefs.size >= STARTED_REFS_MAX) this.startedRefs.delete(this.startedRefs.keys().next().value as string);
    this.startedRefs.set(ref.runId, { ref, expires: Date.now() + STARTED_REF_TTL_MS });
  }

  /**
   * The run, if the caller may see it: a key limited to some flows gets 404 for runs of others, so
   * run ids cannot be probed. Runs without an index row (scheduled, sub-flows) are described by Temporal.
   * One indexed lookup per chat turn, none right after this instance started the run.
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
    const row = await this.runIndex.find(runId);
    if (row) {
      if (!canSeeFlow(actor, row.flowId)) throw notFound();
      // A start of this process answered with the opening and its cutoff is not written yet (replies-delivered.service.ts).
      return row.repliesDeliveredUntil ? row : { ...row, repliesDeliveredUntil: this.repliesDelivered.unwrittenCutoff(runId) };
    }
    let d;
    try {
      d = await this.client.workflow.getHandle(runId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound();
      rethrowTemporal(err, 'read the run');
    }
    if (!FLOW_RUN_WORKFLOW_TYPES.includes(d.type)) throw notFound();
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
}
