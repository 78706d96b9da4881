import { ConflictException, GatewayTimeoutException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { CauceConfig } from '../../../libs/config/config';
import { DISPATCH_OUTBOX_WORKFLOW, type DispatchOutboxInput, type DispatchOutboxResult } from '../../../upkeep/outbox-dispatch/types';
import { AuditService } from '../audit/audit.service';
import { rethrowTemporal } from '../common/temporal-errors';
import { CAUCE_CONFIG } from '../config.module';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import type { Actor } from '../auth/actor';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { PG_POOL } from '../database/pg-pool';
import { OutboxListRow, OutboxRepository } from '../../../libs/outbox/outbox.repository';
import { ListOutboxQueryDto, OutboxItemDto, OutboxPageDto, OutboxResendDto } from './dto';

/** How long a resend may take before the API answers 504 (is a worker running?). */
export const RESEND_TIMEOUT_MS = 30_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)?$/;

/** `[created_at as PostgreSQL text, id]`: exact to the microsecond, unlike a JS Date. */
type Cursor = [string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && PG_TIMESTAMP.test(v[0]) && typeof v[1] === 'string' && UUID.test(v[1]);

/**
 * The notification outbox (read-only here; libs/outbox writes it): every `notify` node's notification,
 * written by the worker before any delivery, with its status and reason. A key limited to some flows sees only theirs.
 */
@Injectable()
export class OutboxService {
  private readonly outbox: OutboxRepository;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(CAUCE_CONFIG) private readonly config: CauceConfig,
    private readonly audit: AuditService,
  ) {
    this.outbox = new OutboxRepository(pool);
  }

  async list(actor: Actor, query: ListOutboxQueryDto): Promise<OutboxPageDto> {
    const limit = query.limit ?? 50;
    const cursor = query.cursor ? decodeCursor(query.cursor, isCursor) : null;
    const rows = await this.outbox.list({
      status: query.status ?? null,
      channel: query.channel ?? null,
      runId: query.runId ?? null,
      flowIds: actor.flowIds,
      before: cursor,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toDto), nextCursor: rows.length > limit ? encodeCursor([last.created_key, last.id]) : null };
  }

  async get(actor: Actor, id: string): Promise<OutboxItemDto> {
    const row = await this.outbox.get(id, actor.flowIds);
    // A notification of a flow outside the key's scope is reported as missing, as runs are.
    if (!row) throw new NotFoundException(`Notification ${id} not found`);
    return toDto(row);
  }

  /**
   * Sends a pending or failed notification again, through the worker (where the providers are), and
   * answers with what happened. A sent notification is never sent twice (409).
   */
  async resend(actor: Actor, id: string): Promise<OutboxResendDto> {
    const before = await this.get(actor, id);
    if (before.status === 'sent') throw new ConflictException(`Notification ${id} was already sent at ${before.sentAt}; it is not sent twice`);
    let result: DispatchOutboxResult;
    try {
      result = await this.client.workflow.execute(DISPATCH_OUTBOX_WORKFLOW, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: `outbox-resend-${id}-${randomUUID()}`,
        args: [{ ids: [id] } satisfies DispatchOutboxInput],
        workflowExecutionTimeout: RESEND_TIMEOUT_MS,
      });
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        throw new GatewayTimeoutException(
          `Notification ${id} could not be resent within ${RESEND_TIMEOUT_MS / 1000} s (is a worker running?): ${err.cause?.message ?? err.message}`,
        );
      }
      rethrowTemporal(err, 'resend the notification');
    }
    const outcome = result.results.find((r) => r.id === id);
    const notification = await this.get(actor, id);
    await this.audit.record(
      actor,
      'notification.resent',
      { type: 'notification', id },
      {
        outcome: notification.status,
        channel: notification.channel,
        runId: notification.runId,
        attempts: notification.attempts,
      },
    );
    return {
      outcome: outcome && outcome.status !== 'not_found' ? outcome.status : notification.status,
      reason: outcome?.reason ?? notification.reason,
      notification,
    };
  }
}

function toDto(row: OutboxListRow): OutboxItemDto {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    purpose: row.purpose,
    attempts: row.attempts,
    runId: row.run_id,
    flowId: row.flow_id,
    nodeId: row.node_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
  };
}
