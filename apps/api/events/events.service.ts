import { BadRequestException, Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { canSeeFlow } from '../auth/actor';
import { FlowsService } from '../flows/flows.service';
import { startTrigger } from '../flows/triggers';
import { MetricsService } from '../metrics/metrics.service';
import { RunCommandsService } from '../runs/run-commands.service';
import { RunStartService } from '../runs/run-start.service';
import { EventResultDto, PostEventDto } from './dto';

/**
 * POST /events: a BUSINESS event about a customer (not a run event: those are what a run records,
 * read through GET /runs/:id/events). It starts every published flow whose start
 * node listens for its type, one open run per customer and flow unless the flow allows concurrent
 * runs, and it reaches the customer's open runs (a waitForEvent takes it; others keep it for later).
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly flows: FlowsService,
    private readonly starts: RunStartService,
    private readonly commands: RunCommandsService,
    private readonly metrics: MetricsService,
  ) {}

  async ingestBusinessEvent(actor: Actor, dto: PostEventDto): Promise<EventResultDto> {
    if (dto.type.startsWith('agent.')) {
      throw new BadRequestException('type: agent events are about one run: send them to POST /api/runs/:runId/business-events');
    }
    this.metrics.eventsReceived.inc({ route: 'events' });
    const result: EventResultDto = { type: dto.type, customerId: dto.customerId, started: [], skipped: [], delivered: [] };
    const event = { type: dto.type, ...(dto.data ? { data: dto.data } : {}), ...(dto.id ? { id: dto.id } : {}) };

    // The customer's runs that were open before this event: they get it delivered.
    const open = await this.commands.openRunsOfCustomer(actor, dto.customerId);

    for (const flow of await this.flows.flowsTriggeredBy(dto.type)) {
      if (!canSeeFlow(actor, flow.flowId)) continue;
      const start = startTrigger(flow.definition);
      if (!start?.allowConcurrent) {
        const existing = await this.commands.openRunOf(flow.flowId, dto.customerId);
        if (existing) {
          result.skipped.push({ flowId: flow.flowId, reason: 'open_run', runId: existing.runId });
          continue;
        }
      }
      // The key makes concurrent deliveries of events start one run: per customer, or per event id.
      const key = start?.allowConcurrent ? (dto.id ? `cauce:event:${dto.id}` : undefined) : `cauce:event-customer:${dto.customerId}`;
      const run = await this.starts.startRun({
        actor,
        flowId: flow.flowId,
        version: flow.version,
        definition: flow.definition,
        input: { ...(dto.data ?? {}), event },
        customerId: dto.customerId,
        key,
        locale: 'es',
        trigger: 'event',
        test: false,
        waitForOpening: false,
      });
      if (run.created) result.started.push({ flowId: flow.flowId, version: run.version, runId: run.runId });
      else result.skipped.push({ flowId: flow.flowId, reason: 'open_run', runId: run.runId });
    }

    for (const row of open) {
      if (await this.commands.deliverBusinessEvent(row.runId, event)) result.delivered.push(row.runId);
    }
    return result;
  }
}
