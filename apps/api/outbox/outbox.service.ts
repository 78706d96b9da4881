import { ConflictException, GatewayTimeoutException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
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
import { pgPoolOf } from '../knowledge/support';
import { ListOutboxQueryDto, OutboxChannel, OutboxItemDto, OutboxPageDto, OutboxResendDto, OutboxStatus } from './dto';

/** How long a resend may take before the API answers 504 (is a worker running?). */
export const RESEND_TIMEOUT_MS = 30_000;

interface OutboxRow {
  id: string;
  status: OutboxStatus;
  reason: string | null;
  channel: OutboxChannel;
  recipient: string;
  subject: string | null;
  body: string;
  purpose: string | null;
  attempts: number;
  run_id: string | null;
  flow_id: string | null;
  node_id: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  created_key: string;
}

const COLUMNS = `id::text AS id, status, reason, channel, recipient, subject, body, purpose, attempts, run_id, flow_id, node_id,
  created_at, updated_at, sent_at, created_at::text AS created_key`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)?$/;

/** `[created_at as PostgreSQL text, id]`: exact to the microsecond, unlike a JS Date. */
type Cursor = [string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && PG_TIMESTAMP.test(v[0]) && typeof v[1] === 'string' && UUID.test(v[1]);

/**
 * The notification outbox (read-only): every `notify` node's notification, written by the worker
 * before any delivery, with its status and reason. A key limited to some flows sees only theirs.
 */
@Injectable()
export class OutboxService {
  private readonly pool: Pool;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(CAUCE_CONFIG) private readonly config: CauceConfig,
    private readonly audit: AuditService,
  ) {
    this.pool = pgPoolOf(dataSource);
  }

  async list(actor: Actor, query: ListOutboxQueryDto): Promise<OutboxPageDto> {
    const limit = query.limit ?? 50;
    const cursor = query.cursor ? decodeCursor(query.cursor, isCursor) : null;
    const { rows } = await this.pool.query<OutboxRow>(
      `SELECT ${COLUMNS} FROM outbox
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::text IS NULL OR channel = $2)
          AND ($3::text IS NULL OR run_id = $3)
          AND ($4::text[] IS NULL OR flow_id = ANY($4::text[]))
          AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $7`,
      [query.status ?? null, query.channel ?? null, query.runId ?? null, actor.flowIds, cursor?.[0] ?? null, cursor?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toDto), nextCursor: rows.length > limit ? encodeCursor([last.created_key, last.id]) : null };
  }

  async get(actor: Actor, id: string): Promise<OutboxItemDto> {
    const { rows } = await this.pool.query<OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = $1 AND ($2::text[] IS NULL OR flow_id = ANY($2::text[]))`, [
      id,
      actor.flowIds,
    ]);
    // A notification of a flow outside the key's scope is reported as missing, as runs are.
    if (!rows[0]) throw new NotFoundException(`Notification ${id} not found`);
    return toDto(rows[0]);
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
        throw new GatewayTimeoutException(`Notification ${id} could not be resent within ${RESEND_TIMEOUT_MS / 1000} s (is a worker running?): ${err.cause?.message ?? err.message}`);
      }
      rethrowTemporal(err, 'resend the notification');
    }
    const outcome = result.results.find((r) => r.id === id);
    const notification = await this.get(actor, id);
    await this.audit.record(actor, 'notification.resent', { type: 'notification', id }, {
      outcome: notification.status,
      channel: notification.channel,
      runId: notification.runId,
      attempts: notification.attempts,
    });
    return {
      outcome: outcome && outcome.status !== 'not_found' ? outcome.status : notification.status,
      reason: outcome?.reason ?? notification.reason,
      notification,
    };
  }
}

function toDto(row: OutboxRow): OutboxItemDto {
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
