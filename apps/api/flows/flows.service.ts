import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { Pool } from 'pg';
import { inTransaction } from '../../../libs/db/transaction';
import { FlowListRow, FlowRepository, FlowRow, FlowsDb } from '../../../libs/flows/flow.repository';
import { FlowDefinition, Locale, ValidationResult, validateFlow } from '../../../workflows/language';
import { CustomActivitiesRegistry } from '../activities/custom-activities.registry';
import { AuditService } from '../audit/audit.service';
import { PG_POOL } from '../database/pg-pool';
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
import { deepEqual, diffDefinitions } from './flow-diff';
import { FlowVersionCache, type FlowHead } from './flow-version-cache';
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
  private readonly flows: FlowRepository;
  /** Published versions and flow heads for starts (flow-version-cache.ts); forgotten here on publish and archive. */
  readonly versionCache = new FlowVersionCache();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly audit: AuditService,
    private readonly schedules: SchedulesService,
    private readonly customActivities: CustomActivitiesRegistry,
  ) {
    this.flows = new FlowRepository(pool);
  }

  // ---- validation -------------------------------------------------------------------------------
  /**
   * The workflow package's own validator, with the custom activities and the published flows (for
   * subflows); with `use` (who validates which flow), also the secrets its http nodes send against
   * their allowed hosts, flows and roles (apps/api/secrets/secret-use.ts). `db`: a transaction's
   * client, so a publish sees the published flows as its transaction does.
   */
  async validateDefinition(definition: unknown, locale: Locale, db?: FlowsDb, use?: { actor: Actor; flowId: string }): Promise<ValidationResult> {
    const knownFlowIds = await (db ? new FlowRepository(db) : this.flows).publishedIds();
    const result = validateFlow(definition, { locale, customActivities: this.customActivities.all(), knownFlowIds });
    if (!use) return result;
    const secretProblems = await secretUseProblems(this.pool, definition, use, locale);
    return secretProblems.length === 0 ? result : { ...result, valid: false, errors: [...result.errors, ...secretProblems] };
  }

  async validate(actor: Actor, id: string, locale: Locale, definition?: FlowDefinition): Promise<ValidationResult> {
    const flow = await this.find(actor, id);
    return this.validateDefinition(definition ?? flow.draft, locale, undefined, { actor, flowId: id });
  }

  // ---- drafts -----------------------------------------------------------------------------------
  async create(actor: Actor, dto: CreateFlowDto): Promise<FlowDto> {
    if (actor.flowIds) throw new ForbiddenException('A key limited to some flows cannot create flows');
    return inTransaction(this.pool, async (c) => {
      const flow = await this.insertDraft(c, { name: dto.name, description: dto.description ?? '', draft: dto.definition ?? EMPTY_FLOW });
      await this.audit.record(actor, 'flow.created', { type: 'flow', id: flow.id }, { name: flow.name, nodes: countOf(flow.draft, 'nodes') }, c);
      return this.toDto(flow, null);
    });
  }

  async list(actor: Actor, query: ListFlowsQueryDto): Promise<FlowPageDto> {
    const limit = query.limit ?? 50;
    const cursor = query.cursor
      ? decodeCursor(
          query.cursor,
          (v): v is { t: string; i: string } => typeof (v as { t?: unknown })?.t === 'string' && typeof (v as { i?: unknown })?.i === 'string',
        )
      : null;
    const rows: FlowListRow[] = await this.flows.page({
      ids: actor.flowIds ?? null,
      status: query.status ?? null,
      namePattern: query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
      before: cursor ? [cursor.t, cursor.i] : null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => summary(r, r.trigger)),
      nextCursor: rows.length > limit && last ? encodeCursor({ t: last.createdKey, i: last.id }) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<FlowDto> {
    const flow = await this.find(actor, id);
    const latest = flow.latestVersion ? await this.flows.version(id, flow.latestVersion) : undefined;
    return this.toDto(flow, latest?.definition ?? null);
  }

  async update(actor: Actor, id: string, dto: UpdateFlowDto): Promise<FlowDto> {
    this.checkScope(actor, id);
    return inTransaction(this.pool, async (c) => {
      const flows = new FlowRepository(c);
      const flow = await this.lock(flows, id);
      if (flow.status === 'archived') throw new ConflictException(`Flow ${id} is archived; duplicate it to edit a copy`);
      const diff = diffDefinitions(flow.draft, dto.definition);
      const changed = { name: flow.name !== dto.name, description: dto.description !== undefined && dto.description !== flow.description };
      flow.name = dto.name;
      if (dto.description !== undefined) flow.description = dto.description;
      flow.draft = dto.definition;
      flow.updatedAt = new Date();
      await flows.saveDraft(id, flow);
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
        c,
      );
      const latest = flow.latestVersion ? await flows.version(id, flow.latestVersion) : undefined;
      return this.toDto(flow, latest?.definition ?? null);
    });
  }

  async duplicate(actor: Actor, id: string, dto: DuplicateFlowDto): Promise<FlowDto> {
    const source = await this.find(actor, id);
    if (actor.flowIds) throw new ForbiddenException('A key limited to some flows cannot create flows');
    return inTransaction(this.pool, async (c) => {
      const copy = await this.insertDraft(c, { name: dto.name ?? `${source.name} (copia)`, description: source.description, draft: source.draft });
      await this.audit.record(actor, 'flow.duplicated', { type: 'flow', id: copy.id }, { from: id, name: copy.name }, c);
      return this.toDto(copy, null);
    });
  }

  async archive(actor: Actor, id: string): Promise<FlowDto> {
    this.checkScope(actor, id);
    // After the commit: a start reading the flow meanwhile must not keep the head as it was before.
    return this.forgettingHead(id, () => this.archiveInTransaction(actor, id));
  }

  private archiveInTransaction(actor: Actor, id: string): Promise<FlowDto> {
    return inTransaction(this.pool, async (c) => {
      const flows = new FlowRepository(c);
      const flow = await this.lock(flows, id);
      if (flow.status !== 'archived') {
        const previous = flow.status;
        flow.status = 'archived';
        flow.updatedAt = new Date();
        await flows.archive(id, flow.updatedAt);
        // Runs in flight go on; no new run starts (API, events or schedule).
        await this.schedules.remove(id);
        await this.audit.record(actor, 'flow.archived', { type: 'flow', id }, { previousStatus: previous, latestVersion: flow.latestVersion }, c);
      }
      const latest = flow.latestVersion ? await flows.version(id, flow.latestVersion) : undefined;
      return this.toDto(flow, latest?.definition ?? null);
    });
  }

  // ---- versions ---------------------------------------------------------------------------------
  async publish(actor: Actor, id: string, locale: Locale): Promise<PublishResultDto> {
    this.checkScope(actor, id);
    return this.forgettingHead(id, () => this.publishInTransaction(actor, id, locale));
  }

  private publishInTransaction(actor: Actor, id: string, locale: Locale): Promise<PublishResultDto> {
    return inTransaction(this.pool, async (c) => {
      const flows = new FlowRepository(c);
      const flow = await this.lock(flows, id);
      if (flow.status === 'archived') throw new ConflictException(`Flow ${id} is archived and cannot be published`);
      const result = await this.validateDefinition(flow.draft, locale, c, { actor, flowId: id });
      if (!result.valid) throw invalidFlowException(result, locale);
      const version = (flow.latestVersion ?? 0) + 1;
      const publishedAt = await flows.insertVersion({ flowId: id, version, definition: flow.draft, publishedBy: actor.id });
      flow.status = 'published';
      flow.latestVersion = version;
      await flows.markPublished(id, version);
      // Inside the transaction: if Temporal refuses the schedule, the version is not published either.
      const schedule = await this.schedules.sync(id, flow.name, version, flow.draft);
      await this.audit.record(
        actor,
        'flow.published',
        { type: 'flow', id },
        { version, warnings: result.warnings.length, ...(schedule ? { schedule: schedule.cron } : {}) },
        c,
      );
      return {
        flowId: id,
        version,
        publishedAt: publishedAt.toISOString(),
        publishedBy: actor.id,
        warnings: result.warnings,
        schedule,
      };
    });
  }

  async listVersions(actor: Actor, id: string): Promise<FlowVersionListDto> {
    await this.find(actor, id);
    const rows = await this.flows.versions(id);
    return {
      items: rows.map((r) => ({ version: r.version, publishedAt: r.publishedAt.toISOString(), publishedBy: r.publishedBy, nodeCount: Number(r.nodeCount) })),
    };
  }

  async getVersion(actor: Actor, id: string, version: number): Promise<FlowVersionDto> {
    await this.find(actor, id);
    const row = await this.flows.version(id, version);
    if (!row) throw new NotFoundException(`Flow ${id} has no version ${version}`);
    return { flowId: id, version, definition: row.definition, publishedAt: row.publishedAt.toISOString(), publishedBy: row.publishedBy };
  }

  async diff(actor: Actor, id: string, from: number | 'draft', to: number | 'draft'): Promise<FlowDiffDto> {
    const flow = await this.find(actor, id);
    const side = async (v: number | 'draft'): Promise<FlowDefinition> => {
      if (v === 'draft') return flow.draft;
      const row = await this.flows.version(id, v);
      if (!row) throw new NotFoundException(`Flow ${id} has no version ${v}`);
      return row.definition;
    };
    const [a, b] = await Promise.all([side(from), side(to)]);
    return { flowId: id, from, to, ...diffDefinitions(a, b) };
  }

  // ---- for runs and triggers ----------------------------------------------------------------------
  /**
   * The version a new run pins: the one asked for, or the latest published. Answered from
   * versionCache when it can (no query for a warm flow); the actor's scope is checked every time,
   * and the errors are those of the flow as read: 404 unknown flow or version, 409 archived or
   * never published.
   */
  async versionForRun(actor: Actor, id: string, version?: number): Promise<{ version: number; definition: FlowDefinition }> {
    this.checkScope(actor, id);
    const head = this.versionCache.head(id) ?? (await this.readHead(id));
    if (head.status === 'archived') throw new ConflictException(`Flow ${id} is archived: it starts no new runs`);
    if (!head.latestVersion) throw new ConflictException(`Flow ${id} has no published version yet: publish it first`);
    const v = version ?? head.latestVersion;
    let definition = this.versionCache.version(id, v);
    if (!definition) {
      const row = await this.flows.version(id, v);
      if (!row) throw new NotFoundException(`Flow ${id} has no version ${v}`);
      definition = row.definition;
      this.versionCache.rememberVersion(id, v, definition);
    }
    return { version: v, definition };
  }

  private async readHead(id: string): Promise<FlowHead> {
    const epoch = this.versionCache.readEpoch();
    const flow = await this.flows.get(id);
    if (!flow) throw new NotFoundException(`Flow ${id} not found`);
    const head = { status: flow.status, latestVersion: flow.latestVersion };
    this.versionCache.rememberHead(id, head, epoch);
    return head;
  }

  /** Runs a change of the flow's head, then forgets the cached head, whether the change committed or not. */
  private async forgettingHead<T>(id: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.versionCache.forget(id);
    }
  }

  /** The draft, validated, for a test run from the editor's simulator. */
  async draftForTest(actor: Actor, id: string, locale: Locale): Promise<{ flow: FlowRow; definition: FlowDefinition }> {
    const flow = await this.find(actor, id);
    if (flow.status === 'archived') throw new ConflictException(`Flow ${id} is archived`);
    // The secrets too: a test run must not send one where its admin did not allow it.
    const result = await this.validateDefinition(flow.draft, locale, undefined, { actor, flowId: id });
    if (!result.valid) throw invalidFlowException(result, locale);
    return { flow, definition: flow.draft };
  }

  /** Published, active flows whose start node listens for this event type. */
  flowsTriggeredBy(eventType: string): Promise<{ flowId: string; name: string; version: number; definition: FlowDefinition }[]> {
    return this.flows.triggeredBy(eventType);
  }

  // ---- helpers ----------------------------------------------------------------------------------
  private checkScope(actor: Actor, id: string): void {
    if (!canSeeFlow(actor, id)) throw new NotFoundException(`Flow ${id} not found`);
  }

  async find(actor: Actor, id: string): Promise<FlowRow> {
    this.checkScope(actor, id);
    const flow = await this.flows.get(id);
    if (!flow) throw new NotFoundException(`Flow ${id} not found`);
    return flow;
  }

  private async lock(flows: FlowRepository, id: string): Promise<FlowRow> {
    const flow = await flows.lock(id);
    if (!flow) throw new NotFoundException(`Flow ${id} not found`);
    return flow;
  }

  /**
   * A new draft flow, as the created row. The draft is the object given, not read back: jsonb
   * reorders keys, and the answer to a create shows the definition as it was sent.
   */
  private async insertDraft(db: FlowsDb, fields: { name: string; description: string; draft: FlowDefinition }): Promise<FlowRow> {
    const created = await new FlowRepository(db).insert(fields);
    return { ...fields, ...created, status: 'draft', latestVersion: null };
  }

  private toDto(flow: FlowRow, latest: FlowDefinition | null): FlowDto {
    return {
      ...summary(flow, startTrigger(flow.draft)?.trigger ?? null),
      draft: flow.draft,
      draftChanged: latest === null ? true : !deepEqual(stripPositions(flow.draft), stripPositions(latest)),
    };
  }
}

function summary(flow: Omit<FlowRow, 'draft'>, trigger: string | null): FlowSummaryDto {
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
