import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { MessageResult } from '../../../contracts/run';
import { messageUpdate } from '../../../contracts/run-wire';
import type { Actor } from '../auth/actor';
import { MetricsService } from '../metrics/metrics.service';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import type { MessageResultDto, PostMessageDto } from './dto';
import { CHAT_TURN_TIMEOUT_MS, chatTurnFailure, finishedConflict } from './run-failures';
import { RunLiveness } from './run-liveness';
import { checkAct, RunLookup, type RunRef } from './run-lookup';
import { TurnTimingsService } from './turn-timings.service';

export { CHAT_TURN_TIMEOUT_MS };

/**
 * The chat turn (`POST /runs/:id/messages`): a customer's or agent's message goes to the run as a
 * Workflow Update, which answers with the replies the flow produced before it waits again.
 * Against PostgreSQL it costs at most one indexed read (the run lookup, none right after this
 * instance started the run); the response-time sample is written in the background.
 */
@Injectable()
export class ChatTurnService {
  constructor(
    private readonly lookup: RunLookup,
    private readonly liveness: RunLiveness,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly metrics: MetricsService,
    private readonly turnTimings: TurnTimingsService,
  ) {}

  async message(actor: Actor, runId: string, dto: PostMessageDto): Promise<MessageResultDto> {
    // The customer's wait starts now: the response-time KPI and the chat-turn histogram both count
    // the run lookup, not only Temporal's part.
    const started = performance.now();
    const receivedAt = Date.now();
    const ref = await this.lookup.access(actor, runId);
    const from = dto.from ?? 'customer';
    if (from === 'agent') checkAct(actor, ref, ['operator'], 'An agent message');
    else checkAct(actor, ref, ['system'], 'A customer message');
    // A retried message (same id) still gets its answer from Temporal after the run closed.
    if (ref.closedAt && !dto.id) throw finishedConflict(runId, ref.status, ref.outcome, 'messages');

    let result: MessageResult;
    try {
      const handle = this.client.workflow.getHandle(runId);
      result = await this.client.withDeadline(Date.now() + CHAT_TURN_TIMEOUT_MS, () =>
        handle.executeUpdate(messageUpdate, {
          args: [
            {
              text: dto.text,
              from,
              ...(dto.id ? { id: dto.id } : {}),
              ...(dto.agent ? { agent: dto.agent } : {}),
              ...(dto.channel ? { channel: dto.channel } : {}),
              receivedAt,
            },
          ],
          updateId: dto.id ?? randomUUID(),
        }),
      );
    } catch (err) {
      this.metrics.chatTurnDuration.observe({ result: 'error' }, (performance.now() - started) / 1000);
      throw await this.failure(ref, err);
    }
    this.metrics.chatTurnDuration.observe({ result: 'ok' }, (performance.now() - started) / 1000);
    // The customer's first turn starts with the opening messages the start call already returned:
    // left out by their time (replies-delivered.service.ts says what a client sees in each case).
    // (An agent's turn answers with what the customer said since the agent's last turn.)
    const cutoff = from === 'customer' ? ref.repliesDeliveredUntil?.getTime() : undefined;
    const replies = cutoff === undefined ? result.replies : result.replies.filter((r) => Date.parse(r.at) > cutoff);
    if (from === 'customer' && replies.length > 0 && !ref.test)
      this.turnTimings.record({ runId, receivedAt, repliedAt: receivedAt + (performance.now() - started) });
    return {
      runId,
      replies,
      status: result.status,
      waitingFor: result.waitingFor,
      currentNode: result.currentNode,
      ...(result.outcome ? { outcome: result.outcome } : {}),
    };
  }

  private async failure(ref: RunRef, err: unknown): Promise<unknown> {
    const mapped = chatTurnFailure(ref.runId, err);
    if (mapped === 'workflowNotFound') return this.liveness.closedOrGone(ref, 'messages');
    return mapped ?? err;
  }
}
