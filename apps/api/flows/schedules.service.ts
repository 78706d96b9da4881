import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { CauceConfig } from '../../../libs/config/config';
import type { FlowDefinition } from '../../../workflows/language';
import { FLOW_RUN_WORKFLOW } from '../../../contracts/run-wire';
import type { FlowRunInput } from '../../../contracts/run';
import { rethrowTemporal } from '../common/temporal-errors';
import { CAUCE_CONFIG } from '../config.module';
import { runSearchAttributes } from '../../../contracts/search-attributes';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { startTrigger } from './triggers';

export interface ScheduleInfo {
  scheduleId: string;
  cron: string;
  version: number;
}

export const scheduleIdFor = (flowId: string) => `cauce-flow-${flowId}`;

/**
 * `schedule` triggers as Temporal Schedules: one per flow, pointing at its latest published
 * version; created or updated at publish, deleted when a publish drops the trigger or the flow is
 * archived. A tick starts `run-sched-<flowId>-<time>`; overlapping ticks are skipped unless the
 * start node allows concurrent runs.
 */
@Injectable()
export class SchedulesService {
  private readonly logger = new Logger('SchedulesService');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(CAUCE_CONFIG) private readonly config: CauceConfig,
  ) {}

  async sync(flowId: string, name: string, version: number, definition: FlowDefinition): Promise<ScheduleInfo | null> {
    const start = startTrigger(definition);
    if (start?.trigger !== 'schedule' || !start.cron) {
      await this.remove(flowId);
      return null;
    }
    const scheduleId = scheduleIdFor(flowId);
    const input: FlowRunInput = { flowId, version, definition, input: {}, locale: 'es', ...(start.channel ? { channel: start.channel } : {}) };
    const options = {
      spec: { cronExpressions: [start.cron] },
      action: {
        type: 'startWorkflow' as const,
        workflowType: FLOW_RUN_WORKFLOW,
        taskQueue: this.config.temporal.taskQueue,
        workflowId: `run-sched-${flowId}`,
        args: [input],
        typedSearchAttributes: runSearchAttributes({ flowId, version }),
      },
      policies: { overlap: start.allowConcurrent ? ScheduleOverlapPolicy.ALLOW_ALL : ScheduleOverlapPolicy.SKIP, catchupWindow: 10 * 60_000 },
      state: { note: `Cauce flow "${name}" v${version}` },
    };
    try {
      try {
        await this.client.schedule.create({ scheduleId, ...options });
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await this.client.schedule.getHandle(scheduleId).update((prev) => ({
          spec: options.spec,
          action: options.action,
          policies: { ...prev.policies, ...options.policies },
          state: { paused: prev.state.paused, note: options.state.note },
        }));
      }
    } catch (err) {
      rethrowTemporal(err, `create the schedule of flow ${flowId}`);
    }
    return { scheduleId, cron: start.cron, version };
  }

  async remove(flowId: string): Promise<void> {
    try {
      await this.client.schedule.getHandle(scheduleIdFor(flowId)).delete();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return;
      // A 'not found' from the server may also come as a gRPC NOT_FOUND (5).
      if ((err as { code?: number }).code === 5) return;
      this.logger.warn(`could not delete the schedule of flow ${flowId}: ${(err as Error).message}`);
      rethrowTemporal(err, `delete the schedule of flow ${flowId}`);
    }
  }
}
