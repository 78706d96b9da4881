import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db/transaction';

/** What the KPI functions need from PostgreSQL: a pg Pool (queries run in parallel on it; the fact refresh takes a client for its transaction). */
export type KpiDb = Pool;

/** A jsonb field as double precision when it is a JSON number, else NULL (never a cast error). */
export const jsonNumber = (path: string) => `(CASE WHEN jsonb_typeof(${path}) = 'number' THEN (${path})::float8 END)`;

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Builds `$n` placeholders while collecting their values. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The run-event filters shared by every KPI query: time (from), flows and version. */
export interface EventScope {
  from: Date;
  to: Date;
  /** null: every flow. */
  flowIds: string[] | null;
  version?: number;
}

/** `AND flow_id = ANY(...) AND version = ...` for an alias, or '' when unrestricted. */
export function scopeFilter(p: Params, scope: EventScope, alias = '', withVersion = true): string {
  const a = alias ? `${alias}.` : '';
  let sql = '';
  if (scope.flowIds !== null)
    sql += scope.flowIds.length === 1 ? ` AND ${a}flow_id = ${p.add(scope.flowIds[0])}::uuid` : ` AND ${a}flow_id = ANY(${p.add(scope.flowIds)}::uuid[])`;
  if (withVersion && scope.version !== undefined) sql += ` AND ${a}version = ${p.add(scope.version)}::int`;
  return sql;
}

/** SELECTs as one UNION ALL, leaving out the null ones (a side with nothing to read). */
export const unionAll = (...selects: (string | null | false)[]): string =>
  selects.filter((x): x is string => typeof x === 'string').join('\n      UNION ALL\n      ');

export const toNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const toNullableNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Memory for the sorts of one KPI query (percentiles, grouping sets), so they do not spill to disk. */
export const KPI_WORK_MEM = '32MB';

/** Runs queries on one client in a read-only transaction with enough work_mem for their sorts. */
export function withWorkMem<T>(db: KpiDb, run: (c: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(
    db,
    async (client) => {
      await client.query(`SET LOCAL work_mem = '${KPI_WORK_MEM}'`);
      return run(client);
    },
    'BEGIN READ ONLY',
  );
}
