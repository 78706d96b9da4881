import type { Pool } from 'pg';
import type { FlowDefinition } from '../../workflows/language';

/**
 * The one module that writes the `flows` and `flow_versions` tables (and the reads that go with
 * them): the API's flow routes write drafts, archive and publish; the API's run starts and event
 * triggers, the key routes and the worker's `loadFlowVersion` (the `subflow` node) read. Plain SQL
 * over a `pg` Pool or a transaction's client, like libs/runs-index.
 *
 * A published version is immutable: `insertVersion` is its only write. A draft's writers lock the
 * flow first (`lock`, in their transaction), so two edits or an edit and a publish never interleave.
 */
export type FlowsDb = Pick<Pool, 'query'>;

export type FlowStatus = 'draft' | 'published' | 'archived';

/** A `flows` row. */
export interface FlowRow {
  id: string;
  name: string;
  description: string;
  status: FlowStatus;
  draft: FlowDefinition;
  latestVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of a page of flows: no draft, its start node's trigger, and `createdKey` (created_at as PostgreSQL text: the page cursor, microseconds kept). */
export type FlowListRow = Omit<FlowRow, 'draft'> & { trigger: string | null; createdKey: string };

/** A `flow_versions` row. */
export interface FlowVersionRow {
  flowId: string;
  version: number;
  definition: FlowDefinition;
  publishedAt: Date;
  publishedBy: string | null;
}

export interface FlowVersionSummaryRow {
  version: number;
  publishedAt: Date;
  publishedBy: string | null;
  nodeCount: number;
}

const FLOW = `id::text AS id, name, description, status, latest_version AS "latestVersion", created_at AS "createdAt", updated_at AS "updatedAt"`;
const VERSION = `flow_id::text AS "flowId", version, definition, published_at AS "publishedAt", published_by AS "publishedBy"`;
/** A definition's nodes, or none when `nodes` is not an array (a draft may be anything the editor saved). */
const nodesOf = (column: string) => `jsonb_array_elements(CASE WHEN jsonb_typeof(${column}->'nodes') = 'array' THEN ${column}->'nodes' ELSE '[]'::jsonb END)`;

export class FlowRepository {
  constructor(private readonly db: FlowsDb) {}

  // ---- flows ------------------------------------------------------------------------------------
  async get(id: string): Promise<FlowRow | undefined> {
    const { rows } = await this.db.query<FlowRow>(`SELECT ${FLOW}, draft FROM flows WHERE id = $1 LIMIT 1`, [id]);
    return rows[0];
  }

  /** The flow, locked until the transaction ends: every draft write and publish reads it this way. */
  async lock(id: string): Promise<FlowRow | undefined> {
    const { rows } = await this.db.query<FlowRow>(`SELECT ${FLOW}, draft FROM flows WHERE id = $1 LIMIT 1 FOR UPDATE`, [id]);
    return rows[0];
  }

  /** A page of flows, newest first, after the cursor; `namePattern` an ILIKE pattern. */
  async page(filter: {
    ids: string[] | null;
    status: FlowStatus | null;
    namePattern: string | null;
    before: [createdAt: string, id: string] | null;
    limit: number;
  }): Promise<FlowListRow[]> {
    const { rows } = await this.db.query<FlowListRow>(
      `SELECT ${FLOW}, created_at::text AS "createdKey",
              (SELECT n->'data'->>'trigger' FROM ${nodesOf('draft')} n WHERE n->>'type' = 'start' LIMIT 1) AS trigger
         FROM flows
        WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
          AND ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR name ILIKE $3)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $6`,
      [filter.ids, filter.status, filter.namePattern, filter.before?.[0] ?? null, filter.before?.[1] ?? null, filter.limit],
    );
    return rows;
  }

  /** Which of these ids are flows. */
  async existingIds(ids: string[]): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT id::text AS id FROM flows WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => r.id);
  }

  /** The flows with a published version (what a `subflow` node may call). */
  async publishedIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT id::text AS id FROM flows WHERE latest_version IS NOT NULL`);
    return rows.map((r) => r.id);
  }

  /** A new draft flow; its id and timestamps come from the database. */
  async insert(flow: { name: string; description: string; draft: FlowDefinition }): Promise<Pick<FlowRow, 'id' | 'createdAt' | 'updatedAt'>> {
    const { rows } = await this.db.query<Pick<FlowRow, 'id' | 'createdAt' | 'updatedAt'>>(
      `INSERT INTO flows (name, description, status, draft, latest_version) VALUES ($1, $2, 'draft', $3::jsonb, NULL)
       RETURNING id::text AS id, created_at AS "createdAt", updated_at AS "updatedAt"`,
      [flow.name, flow.description, JSON.stringify(flow.draft)],
    );
    return rows[0];
  }

  /** Replaces a draft's name, description and definition. */
  async saveDraft(id: string, draft: { name: string; description: string; draft: FlowDefinition; updatedAt: Date }): Promise<void> {
    await this.db.query(`UPDATE flows SET name = $2, description = $3, draft = $4::jsonb, updated_at = $5 WHERE id = $1`, [
      id,
      draft.name,
      draft.description,
      JSON.stringify(draft.draft),
      draft.updatedAt,
    ]);
  }

  async archive(id: string, updatedAt: Date): Promise<void> {
    await this.db.query(`UPDATE flows SET status = 'archived', updated_at = $2 WHERE id = $1`, [id, updatedAt]);
  }

  /** Points the flow at its new latest version (the draft and `updated_at` stay as they are). */
  async markPublished(id: string, version: number): Promise<void> {
    await this.db.query(`UPDATE flows SET status = 'published', latest_version = $2 WHERE id = $1`, [id, version]);
  }

  // ---- versions ---------------------------------------------------------------------------------
  async version(flowId: string, version: number): Promise<FlowVersionRow | undefined> {
    const { rows } = await this.db.query<FlowVersionRow>(`SELECT ${VERSION} FROM flow_versions WHERE flow_id = $1 AND version = $2 LIMIT 1`, [flowId, version]);
    return rows[0];
  }

  /** The version asked for, or the latest one; undefined when the flow has no such published version. */
  async versionOrLatest(flowId: string, version: number | null): Promise<FlowVersionRow | undefined> {
    const { rows } = await this.db.query<FlowVersionRow>(
      `SELECT ${VERSION} FROM flow_versions WHERE flow_id = $1 AND ($2::int IS NULL OR version = $2::int) ORDER BY version DESC LIMIT 1`,
      [flowId, version],
    );
    return rows[0];
  }

  /** A flow's versions, newest first, with their node counts. */
  async versions(flowId: string): Promise<FlowVersionSummaryRow[]> {
    const { rows } = await this.db.query<FlowVersionSummaryRow>(
      `SELECT version, published_at AS "publishedAt", published_by AS "publishedBy",
              CASE WHEN jsonb_typeof(definition->'nodes') = 'array' THEN jsonb_array_length(definition->'nodes') ELSE 0 END AS "nodeCount"
         FROM flow_versions WHERE flow_id = $1 ORDER BY version DESC`,
      [flowId],
    );
    return rows;
  }

  /** Publishes a version (immutable from now on); returns when it was published. */
  async insertVersion(v: { flowId: string; version: number; definition: FlowDefinition; publishedBy: string }): Promise<Date> {
    const { rows } = await this.db.query<{ publishedAt: Date }>(
      `INSERT INTO flow_versions (flow_id, version, definition, published_by) VALUES ($1, $2, $3::jsonb, $4) RETURNING published_at AS "publishedAt"`,
      [v.flowId, v.version, JSON.stringify(v.definition), v.publishedBy],
    );
    return rows[0].publishedAt;
  }

  /** Published, non-archived flows whose start node listens for this business event, oldest first, each with its latest version. */
  async triggeredBy(eventType: string): Promise<{ flowId: string; name: string; version: number; definition: FlowDefinition }[]> {
    const { rows } = await this.db.query<{ flowId: string; name: string; version: number; definition: FlowDefinition }>(
      `SELECT f.id::text AS "flowId", f.name, v.version, v.definition
         FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.latest_version
        WHERE f.status = 'published'
          AND EXISTS (SELECT 1 FROM ${nodesOf('v.definition')} n
                       WHERE n->>'type' = 'start' AND n->'data'->>'trigger' = 'event' AND n->'data'->>'event' = $1)
        ORDER BY f.created_at`,
      [eventType],
    );
    return rows;
  }
}
