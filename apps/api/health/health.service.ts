import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { CauceConfig } from '../../../libs/config/config';
import { CAUCE_CONFIG } from '../config.module';
import { PG_POOL } from '../database/pg-pool';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { ShutdownState } from './shutdown-state';

export interface ComponentHealth {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

export interface HealthReport {
  /** `stopping`: this instance is draining before it exits; send traffic elsewhere. */
  status: 'ok' | 'degraded' | 'stopping';
  checks: { database: ComponentHealth; temporal: ComponentHealth; worker: ComponentHealth };
}

async function timed(check: () => Promise<Record<string, unknown>>, timeoutMs = 3000): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      check(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started), ...details };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    /** Only as the migration runner: it tells the pending migrations. */
    @InjectDataSource() private readonly migrations: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CAUCE_CONFIG) private readonly config: CauceConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  async check(): Promise<HealthReport> {
    const { namespace, taskQueue } = this.config.temporal;
    const [database, temporal, worker] = await Promise.all([
      timed(async () => {
        const { rows } = await this.pool.query<{ version: string }>('SELECT current_setting($1) AS version', ['server_version']);
        const pending = await this.migrations.showMigrations();
        return { version: rows[0].version, pendingMigrations: pending };
      }),
      timed(async () => {
        await this.temporal.workflowService.describeNamespace({ namespace });
        return { namespace, address: this.config.temporal.address };
      }),
      timed(async () => {
        const queue = await this.temporal.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: 1, // workflow task queue
        });
        const pollers = queue.pollers?.length ?? 0;
        if (pollers === 0) throw new Error(`no worker is polling task queue "${taskQueue}"`);
        return { taskQueue, pollers };
      }),
    ]);
    // The worker is reported but does not make the API unready: runs wait durably for a worker.
    const status = this.shutdown.draining ? 'stopping' : database.status === 'up' && temporal.status === 'up' ? 'ok' : 'degraded';
    return { status, checks: { database, temporal, worker } };
  }
}
