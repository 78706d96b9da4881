import { ConflictException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { statusFromTemporal } from '../../../contracts/run-status';
import { readRunAttributes } from '../../../contracts/search-attributes';
import { RunIndexRepository, type RunsDb } from '../../../libs/runs-index/run-index.repository';
import { closeRun, reconcileRun } from '../../../upkeep/runs-reconciler/reconcile';
import { rethrowTemporal } from '../common/temporal-errors';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { finishedConflict } from './run-failures';
import { RUNS_DB } from './run-index.provider';
import type { RunRef } from './run-lookup';

/** A run row younger than this without a workflow may be a start in progress on another request. */
const START_GRACE_MS = 30_000;

/**
 * Whether a run the index says is open really is, asked by a COMMAND (a start by key, a business
 * event, a message or cancel that Temporal answered "not found"). A run that turns out closed is
 * reconciled the way the worker's scheduled pass does it (upkeep/runs-reconciler), so a terminated run
 * gets its `run.finished` either way. Reads (GET) never come here: they report what Temporal says
 * and leave the row to the reconciler.
 */
@Injectable()
export class RunLiveness {
  constructor(
    private readonly runIndex: RunIndexRepository,
    /** The pool the reconciler's functions take; the same one the repository writes through. */
    @Inject(RUNS_DB) private readonly db: RunsDb,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  /** Whether an index row marked open really is; one closed in Temporal is closed here. */
  async stillOpen(row: { runId: string; startedAt: Date }): Promise<boolean> {
    try {
      // No workflow: a start in progress on another request (within START_GRACE_MS), or one that failed half-way long ago.
      return (await reconcileRun({ db: this.db, client: this.client }, row, { notFoundGraceMs: START_GRACE_MS })).open;
    } catch (err) {
      rethrowTemporal(err, 'check an open run');
    }
  }

  /** Reconciles a row at once (no grace for a missing workflow); Temporal's errors are thrown. */
  async reconcileNow(row: { runId: string; startedAt: Date }): Promise<boolean> {
    return (await reconcileRun({ db: this.db, client: this.client }, row, { notFoundGraceMs: 0 })).open;
  }

  /** After Temporal said "not found" for a run we know: it closed (409, its row closed now) or its history is gone (404). */
  async closedOrGone(ref: RunRef, what: string): Promise<HttpException> {
    try {
      const d = await this.client.workflow.getHandle(ref.runId).describe();
      const status = statusFromTemporal(d.status.name, readRunAttributes(d.typedSearchAttributes).status);
      if (status !== 'running') {
        await closeRun(this.db, ref.runId, { status, closedAt: d.closeTime ?? new Date() });
        const row = await this.runIndex.find(ref.runId);
        return finishedConflict(ref.runId, status, row?.outcome, what);
      }
      return new ConflictException(`Run ${ref.runId} could not take the ${what}; retry`);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return new NotFoundException(`Run ${ref.runId} not found in Temporal (its history may have expired)`);
      rethrowTemporal(err, 'read the run');
    }
  }
}
