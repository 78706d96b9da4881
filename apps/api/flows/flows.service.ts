import { ConflictException, ForbiddenException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { FlowDefinition, Locale, ValidationResult, validateFlow } from '../../../workflows/language';
import { CustomActivitiesRegistry } from '../activities/custom-activities.registry';
import { AuditService } from '../audit/audit.service';
import { pgPoolOf } from '../knowledge/support';
import { secretUseProblems } from '../secrets/secret-use';
import { Actor, canSeeFlow } from '../auth/actor';
import { decodeCursor, encodeCursor } from '../common/cursor';
import {
  CreateFlowDto,
  DuplicateFlowDto,
  FlowDiffDto,
  FlowDto,
  FlowPageDto,
  FlowSummaryDto,
  FlowVersionDto,
  FlowVersionListDto,
  ListFlowsQueryDto,
  PublishResultDto,
  UpdateFlowDto,
} from './dto';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowEntity } from './flow.entity';
import { deepEqual, diffDefinitions } from './flow-diff';
import { SchedulesService } from './schedules.service';
import { startTrigger } from './triggers';

/** A new flow's draft: a start node the API can trigger. */
export const EMPTY_FLOW: FlowDefinition = {
  nodes: [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'api' } }],
  edges: [],
};

/** 422 with every problem, in the error shape of DESIGN.md. */
export function invalidFlowException(result: ValidationResult, locale: Locale): UnprocessableEntityException {
  const n = result.errors.length;
  const message =
    locale === 'en'
      ? `The flow has ${n} error${n === 1 ? '' : 's'}; fix ${n === 1 ? 'it' : 'them'} and try again`
      : `El flujo tiene ${n} error${n === 1 ? '' : 'es'}; corrígelo${n === 1 ? '' : 's'} y vuelve a intentarlo`;
  return new UnprocessableEntityException({ message, details: { errors: result.errors, warnings: result.warnings } });
}

@Injectable()
export class FlowsService {
  constructor(
    @InjectRepository(FlowEntity) private readonly flows: Repository<FlowEntity>,
    @InjectRepository(FlowVersionEntity) private readonly versions: Repository<FlowVersionEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly schedules: SchedulesService,
    private readonly customActivities: CustomActivitiesRegistry,
  ) {}

  // ---- validation -------------------------------------------------------------------------------
  /**
   * The workflow package's own validator, with the custom activities and the published flows (for
   * subflows); with `use` (who validates which flow), also the secrets its http nodes send against
   * their allowed hosts, flows and roles (apps/api/secrets/secret-use.ts).
   */
  async validateDefinition(definition: unknown, locale: Locale, manager?: EntityManager, use?: { actor: Actor; flowId: string }): Promise<ValidationResult> {
    const rows: { id: string }[] = await (manager ?? this.dataSource).query(`SELECT id::text AS id FROM flows WHERE latest_version IS NOT NULL`);
    const result = validateFlow(definition, { locale, customActivities: this.customActivities.all(), knownFlowIds: rows.map((r) => r.id) });
    if (!use) return result;
    const secretProblems = await secretUseProblems(pgPoolOf(this.dataSource), definition, use, locale);
    return secretProblems.length === 0 ? result : { ...result, valid: false, errors: [...result.errors, ...secretProblems] };
  }

  async validate(actor: Actor, id: string, locale: Locale, definition?: FlowDefinition): Promise<ValidationResult> {
    const flow = await this.find(actor, id);
    return this.validateDefinition(definition ?? flow.draft, locale, undefined, { actor, flowId: id });
  }

  // ---- drafts -----------------------------------------------------------------------------------
  async create(actor: Actor, dto: CreateFlowDto): Promise<FlowDto> {
    if (actor.flowIds) throw new ForbiddenException('A key limited to some flows cannot create flows');
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(FlowEntity);
      const flow = await repo.save(
        repo.create({ name: dto.name, description: dto.description ?? '', status: 'draft', draft: dto.definition ?? EMPTY_FLOW, latestVersion: null }),
      );
      await this.audit.record(actor, 'flow.created', { type: 'flow', id: flow.id }, { name: flow.name, nodes: countOf(flow.draft, 'nodes') }, m);
      return this.toDto(flow, null);
    });
  }

  async list(actor: Actor, query: ListFlowsQueryDto): Promise<FlowPageDto> {
    const limit = query.limit ?? 50;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (actor.flowIds) add('id = ANY(?::uuid[])', actor.flowIds);
    if (query.status) add('status = ?', query.status);
    if (query.q) add(`name ILIKE ?`, `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (query.cursor) {
      const c = decodeCursor(
        query.cursor,
        (v): v is { t: string; i: string } => typeof (v as { t?: unknown })?.t === 'string' && typeof (v as { i?: unknown })?.i === 'string',
      );
      params.push(c.t, c.i);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: (Omit<FlowEntity, 'draft'> & { trigger: string | null; created_at_text: string })[] = await this.dataSource.query(
      `SELECT id::text AS id, name, description, status, latest_version AS "latestVersion", created_at AS "createdAt", updated_at AS "updatedAt",
              created_at::text AS created_at_text,
              (SELECT n->'data'->>'trigger' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(draft->'nodes') = 'array' THEN draft->'nodes' ELSE '[]'::jsonb END) n
                WHERE n->>'type' = 'start' LIMIT 1) AS trigger
         FROM flows ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => summary(r, r.trigger)),
      nextCursor: rows.length > limit && last ? encodeCursor({ t: last.created_at_text, i: last.id }) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<FlowDto> {
    const flow = await this.find(actor, id);
    const latest = flow.latestVersion ? await this.versions.findOne({ where: { flowId: id, version: flow.latestVersion } }) : null;
    return this.toDto(flow, latest?.definition ?? null);
  }

  async update(actor: Actor, id: string, dto: UpdateFlowDto): Promise<FlowDto> {
    this.checkScope(actor, id);
    return this.dataSource.transaction(async (m) => {
      const flow = await this.lock(m, id);
      if (flow.status === 'archived') throw new ConflictException(`Flow ${id} is archived; duplicate it to edit a copy`);
      const diff = diffDefinitions(flow.draft, dto.definition);
      const changed = { name: flow.name !== dto.name, description: dto.description !== undefined && dto.description !== flow.description };
      flow.name = dto.name;
      if (dto.description !== undefined) flow.description = dto.description;
      flow.draft = dto.definition;
      flow.updatedAt = new Date();
      await m.getRepository(FlowEntity).save(flow);
      await this.audit.record(
        actor,
        'flow.updated',
        { type: 'flow', id },
        {
          ...(changed.name ? { name: dto.name } : {}),
          ...(changed.description ? { description: true } : {}),
          nodes: { added: diff.nodes.added, removed: diff.nodes.removed, changed: diff.nodes.changed.map((c) => c.id) },
          edges: { added: diff.edges.added.length, removed: diff.edges.removed.length, changed: diff.edges.changed.length },
        },
        m,
      );
      const latest = flow.latestVersion ? await m.getRepository(FlowVersionEntity).findOne({ where: { flowId: id, version: flow.latestVersion } }) : null;
      return this.toDto(flow, latest?.definition ?? null);
    });
  }

  async duplicate(actor: Actor, id: string, dto: DuplicateFlowDto): Promise<FlowDto> {
    const source = await this.find(actor, id);
    if (actor.flowIds) throw new ForbiddenException('A key limited to some flows cannot create flows');
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(FlowEntity);
      const copy = await repo.save(
        repo.create({ name: dto.name ?? `${source.name} (copia)`, description: source.description, status: 'draft', draft: source.draft, latestVersion: null }),
      );
      await this.audit.record(actor, 'flow.duplicated', { type: 'flow', id: copy.id }, { from: id, name: copy.name }, m);
      return this.toDto(copy, null);
    });
  }

  async archive(actor: Actor, id: string): Promise<FlowDto> {
    this.checkScope(actor, id);
    return this.dataSource.transaction(async (m) => {
      const flow = await this.lock(m, id);
      if (flow.status !== 'archived') {
        const previous = flow.status;
        flow.status = 'archived';
        flow.updatedAt = new Date();
        await m.getRepository(FlowEntity).save(flow);
        // Runs in flight go on; no new run starts (API, events or schedule).
        await this.schedules.remove(id);
        await this.audit.record(actor, 'flow.archived', { type: 'flow', id }, { previousStatus: previous, latestVersion: flow.latestVersion }, m);
      }
      const latest = flow.latestVersion ? await m.getRepository(FlowVersionEntity).findOne({ where: { flowId: id, version: flow.latestVersion } }) : null;
      return this.toDto(flow, latest?.definition ?? null);
    });
  }

  // ---- versions ---------------------------------------------------------------------------------
  async publish(actor: Actor, id: string, locale: Locale): Promise<PublishResultDto> {
    this.checkScope(actor, id);
    return this.dataSource.transaction(async (m) => {
      const flow = await this.lock(m, id);
      if (flow.status === 'archived') throw new ConflictException(`Flow ${id} is archived and cannot be published`);
      const result = await this.validateDefinition(flow.draft, locale, m, { actor, flowId: id });
      if (!result.valid) throw invalidFlowException(result, locale);
      const version = (flow.latestVersion ?? 0) + 1;
      const saved = await m.getRepository(FlowVersionEntity).save({ flowId: id, version, definition: flow.draft, publishedBy: actor.id });
      flow.status = 'published';
      flow.latestVersion = version;
      await m.getRepository(FlowEntity).update({ id }, { status: 'published', latestVersion: version });
      // Inside the transaction: if Temporal refuses the schedule, the version is not published either.
      const schedule = await this.schedules.sync(id, flow.name, version, flow.draft);
      await this.audit.record(
        actor,
        'flow.published',
        { type: 'flow', id },
        { version, warnings: result.warnings.length, ...(schedule ? { schedule: schedule.cron } : {}) },
        m,
      );
      return {
        flowId: id,
        version,
        publishedAt: saved.publishedAt.toISOString(),
        publishedBy: actor.id,
        warnings: result.warnings,
        schedule,
      };
    });
  }

  async listVersions(actor: Actor, id: string): Promise<FlowVersionListDto> {
    await this.find(actor, id);
    const rows: { version: number; published_at: Date; published_by: string | null; node_count: number }[] = await this.dataSource.query(
      `SELECT version, published_at, published_by,
              CASE WHEN jsonb_typeof(definition->'nodes') = 'array' THEN jsonb_array_length(definition->'nodes') ELSE 0 END AS node_count
         FROM flow_versions WHERE flow_id = $1 ORDER BY version DESC`,
      [id],
    );
    return {
      items: rows.map((r) => ({ version: r.version, publishedAt: r.published_at.toISOString(), publishedBy: r.published_by, nodeCount: Number(r.node_count) })),
    };
  }

  async getVersion(actor: Actor, id: string, version: number): Promise<FlowVersionDto> {
    await this.find(actor, id);
    const row = await this.versions.findOne({ where: { flowId: id, version } });
    if (!row) throw new NotFoundException(`Flow ${id} has no version ${version}`);
    return { flowId: id, version, definition: row.definition, publishedAt: row.publishedAt.toISOString(), publishedBy: row.publishedBy };
  }

  async diff(actor: Actor, id: string, from: number | 'draft', to: number | 'draft'): Promise<FlowDiffDto> {
    const flow = await this.find(actor, id);
    const side = async (v: number | 'draft'): Promise<FlowDefinition> => {
      if (v === 'draft') return flow.draft;
      const row = await this.versions.findOne({ where: { flowId: id, version: v } });
      if (!row) throw new NotFoundException(`Flow ${id} has no version ${v}`);
      return row.definition;
    };
    const [a, b] = await Promise.all([side(from), side(to)]);
    return { flowId: id, from, to, ...diffDefinitions(a, b) };
  }

  // ---- for runs and triggers ----------------------------------------------------------------------
  /** The version a new run pins: the one asked for, or the latest published. */
  async versionForRun(actor: Actor, id: string, version?: number): Promise<{ flow: FlowEntity; version: number; definition: FlowDefinition }> {
    const flow = await this.find(actor, id);
    if (flow.status === 'archived') throw new ConflictException(`Flow ${id} is archived: it starts no new runs`);
    if (!flow.latestVersion) throw new ConflictException(`Flow ${id} has no published version yet: publish it first`);
    const v = version ?? flow.latestVersion;
    const row = await this.versions.findOne({ where: { flowId: id, version: v } });
    if (!row) throw new NotFoundException(`Flow ${id} has no version ${v}`);
    return { flow, version: v, definition: row.definition };
  }

  /** The draft, validated, for a test run from the editor's simulator. */
  async draftForTest(actor: Actor, id: string, locale: Locale): Promise<{ flow: FlowEntity; definition: FlowDefinition }> {
    const flow = await this.find(actor, id);
    if (flow.status === 'archived') throw new ConflictException(`Flow ${id} is archived`);
    // The secrets too: a test run must not send one where its admin did not allow it.
    const result = await this.validateDefinition(flow.draft, locale, undefined, { actor, flowId: id });
    if (!result.valid) throw invalidFlowException(result, locale);
    return { flow, definition: flow.draft };
  }

  /** Published, active flows whose start node listens for this event type. */
  async flowsTriggeredBy(eventType: string): Promise<{ flowId: string; name: string; version: number; definition: FlowDefinition }[]> {
    const rows: { flow_id: string; name: string; version: number; definition: FlowDefinition }[] = await this.dataSource.query(
      `SELECT f.id::text AS flow_id, f.name, v.version, v.definition
         FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.latest_version
        WHERE f.status = 'published'
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v.definition->'nodes') = 'array' THEN v.definition->'nodes' ELSE '[]'::jsonb END) n
                       WHERE n->>'type' = 'start' AND n->'data'->>'trigger' = 'event' AND n->'data'->>'event' = $1)
        ORDER BY f.created_at`,
      [eventType],
    );
    return rows.map((r) => ({ flowId: r.flow_id, name: r.name, version: r.version, definition: r.definition }));
  }

  // ---- helpers ----------------------------------------------------------------------------------
  private checkScope(actor: Actor, id: string): void {
    if (!canSeeFlow(actor, id)) throw new NotFoundException(`Flow ${id} not found`);
  }

  async find(actor: Actor, id: string): Promise<FlowEntity> {
    this.checkScope(actor, id);
    const flow = await this.flows.findOne({ where: { id } });
    if (!flow) throw new NotFoundException(`Flow ${id} not found`);
    return flow;
  }

  private async lock(m: EntityManager, id: string): Promise<FlowEntity> {
    const flow = await m.getRepository(FlowEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!flow) throw new NotFoundException(`Flow ${id} not found`);
    return flow;
  }

  private toDto(flow: FlowEntity, latest: FlowDefinition | null): FlowDto {
    return {
      ...summary(flow, startTrigger(flow.draft)?.trigger ?? null),
      draft: flow.draft,
      draftChanged: latest === null ? true : !deepEqual(stripPositions(flow.draft), stripPositions(latest)),
    };
  }
}

function summary(flow: Omit<FlowEntity, 'draft'>, trigger: string | null): FlowSummaryDto {
  return {
    id: flow.id,
    name: flow.name,
    description: flow.description,
    status: flow.status,
    latestVersion: flow.latestVersion,
    trigger,
    createdAt: new Date(flow.createdAt).toISOString(),
    updatedAt: new Date(flow.updatedAt).toISOString(),
  };
}

function countOf(definition: FlowDefinition, key: 'nodes' | 'edges'): number {
  const list = (definition as unknown as Record<string, unknown>)[key];
  return Array.isArray(list) ? list.length : 0;
}

/** Positions are editor-only: moving a node is not a change to publish. */
function stripPositions(definition: FlowDefinition): unknown {
  const d = definition as unknown as { nodes?: unknown; edges?: unknown; variables?: unknown };
  return {
    nodes: Array.isArray(d.nodes) ? d.nodes.map((n) => (typeof n === 'object' && n ? { id: n.id, type: n.type, data: n.data } : n)) : d.nodes,
    edges: Array.isArray(d.edges)
      ? d.edges.map((e) => (typeof e === 'object' && e ? { id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle } : e))
      : d.edges,
    variables: d.variables,
  };
}
