import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { eventSignal } from '../../../contracts/run-wire';
import { RunIndexRepository, type RunIndexRow } from '../../../libs/runs-index/run-index.repository';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeFlow } from '../auth/actor';
import { rethrowTemporal } from '../common/temporal-errors';
import { MetricsService } from '../metrics/metrics.service';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import type { CancelAcceptedDto, EventAcceptedDto, PostRunEventDto } from './dto';
import { finishedConflict } from './run-failures';
import { RunLiveness } from './run-liveness';
import { checkAct, RunLookup } from './run-lookup';

/** A business or agent event as the run's `event` signal carries it. */
export interface BusinessEvent {
  type: string;
  data?: Record<string, unknown>;
  id?: string;
}

/**
 * Commands to runs that are not a chat turn: a BUSINESS event sent to a run (`POST
 * /runs/:id/business-events`, formerly `POST /runs/:id/events`; not the run events a run records,
 * which `RunReadsService.listRunEvents` reads), and cancel. A command may close a row it finds stale.
 */
@Injectable()
export class RunCommandsService {
  constructor(
    private readonly runIndex: RunIndexRepository,
    private readonly lookup: RunLookup,
    private readonly liveness: RunLiveness,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
  ) {}

  /** A business event (system key) or an agent event (operator key) sent to one run. */
  async sendBusinessEvent(actor: Actor, runId: string, dto: PostRunEventDto): Promise<EventAcceptedDto> {
    const ref = await this.lookup.access(actor, runId);
    if (dto.type.startsWith('agent.')) checkAct(actor, ref, ['operator'], 'An agent event');
    else checkAct(actor, ref, ['system'], 'A business event');
    if (ref.closedAt) throw finishedConflict(runId, ref.status, ref.outcome, 'events');
    this.metrics.eventsReceived.inc({ route: 'run' });
    try {
      await this.client.workflow
        .getHandle(runId)
        .signal(eventSignal, { type: dto.type, ...(dto.data ? { data: dto.data } : {}), ...(dto.id ? { id: dto.id } : {}) });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await this.liveness.closedOrGone(ref, 'events');
      rethrowTemporal(err, 'deliver the event');
    }
    return { runId, type: dto.type, accepted: true };
  }

  /** Signals a business event to a run the caller already resolved (`POST /events`); false when the run turned out closed. */
  async deliverBusinessEvent(runId: string, event: BusinessEvent): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(runId).signal(eventSignal, event);
      return true;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) rethrowTemporal(err, 'deliver the event');
      const row = await this.runIndex.find(runId);
      if (row) await this.liveness.stillOpen(row);
      return false;
    }
  }

  async cancel(actor: Actor, runId: string): Promise<CancelAcceptedDto> {
    const ref = await this.lookup.access(actor, runId);
    checkAct(actor, ref, ['operator'], 'Cancelling a run');
    if (ref.closedAt) throw finishedConflict(runId, ref.status, ref.outcome, 'commands');
    try {
      await this.client.workflow.getHandle(runId).cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await this.liveness.closedOrGone(ref, 'commands');
      rethrowTemporal(err, 'cancel the run');
    }
    await this.audit.record(actor, 'run.cancelled', { type: 'run', id: runId }, { flowId: ref.flowId, version: ref.version });
    return { runId, status: 'cancelling' };
  }

  /** Open, non-test runs of a customer (for POST /events), within the caller's flows. */
  async openRunsOfCustomer(actor: Actor, customerId: string): Promise<RunIndexRow[]> {
    const rows = await this.runIndex.openOfCustomer(customerId, 200);
    return rows.filter((r) => canSeeFlow(actor, r.flowId));
  }

  /** The customer's open run of a flow, if one really is open (a stale row is closed on the way). */
  async openRunOf(flowId: string, customerId: string): Promise<RunIndexRow | null> {
    const rows = await this.runIndex.openOfFlowAndCustomer(flowId, customerId, 5);
    for (const row of rows) if (await this.liveness.stillOpen(row)) return row;
    return null;
  }
}
