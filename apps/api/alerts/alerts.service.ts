import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  acknowledgeAlert,
  Alert,
  AlertRule,
  AlertRuleInput,
  createAlertRule,
  deleteAlertRule,
  getAlert,
  getAlertRule,
  listAlertRules,
  listAlerts,
  updateAlertRule,
} from '../../../libs/kpis/alerts';
import { Actor, canSeeFlow } from '../auth/actor';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { KPI_DB, KpisService } from '../kpis/kpis.service';
import { AlertPageDto, AlertRuleBodyDto, ListAlertRulesQueryDto, ListAlertsQueryDto } from './dto/alerts.dto';

const isCursor = (v: unknown): v is { f: string; i: string } =>
  typeof v === 'object' && v !== null && typeof (v as { f?: unknown }).f === 'string' && typeof (v as { i?: unknown }).i === 'string' &&
  !Number.isNaN(Date.parse((v as { f: string }).f)) && /^[0-9a-f-]{36}$/i.test((v as { i: string }).i);

/** Alert rules (editors) and the alerts the scheduled check records (operators read and acknowledge them). */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(KPI_DB) private readonly db: Pool,
    private readonly kpis: KpisService,
  ) {}

  /** A rule's flow must exist and be in the key's scope; a key limited to flows cannot watch every flow. */
  private async checkRuleScope(actor: Actor, body: AlertRuleBodyDto): Promise<void> {
    if (!body.flowId) {
      if (actor.flowIds !== null) throw new BadRequestException('flowId is required: this key is limited to some flows');
      return;
    }
    await this.kpis.requireFlow(actor, body.flowId);
  }

  private visible(actor: Actor, flowId: string | null): boolean {
    return this.kpis.canSee(actor, flowId);
  }

  private input(body: AlertRuleBodyDto): AlertRuleInput {
    if ((body.channel ?? null) === null !== ((body.recipient ?? null) === null)) throw new BadRequestException('channel and recipient go together: give both or neither');
    return {
      name: body.name,
      flowId: body.flowId ?? null,
      version: body.version ?? null,
      kpi: body.kpi,
      comparator: body.comparator,
      threshold: body.threshold,
      windowMinutes: body.windowMinutes,
      minSample: body.minSample,
      channel: body.channel ?? null,
      recipient: body.recipient ?? null,
      enabled: body.enabled,
    };
  }

  async listRules(actor: Actor, query: ListAlertRulesQueryDto): Promise<AlertRule[]> {
    if (query.flowId && !canSeeFlow(actor, query.flowId)) return [];
    return listAlertRules(this.db, { flowIds: actor.flowIds, flowId: query.flowId });
  }

  async getRule(actor: Actor, id: string): Promise<AlertRule> {
    const rule = await getAlertRule(this.db, id);
    if (!rule || !this.visible(actor, rule.flowId)) throw new NotFoundException(`Alert rule ${id} not found`);
    return rule;
  }

  async createRule(actor: Actor, body: AlertRuleBodyDto): Promise<AlertRule> {
    await this.checkRuleScope(actor, body);
    return createAlertRule(this.db, this.input(body), actor.name).catch(badRequest);
  }

  async updateRule(actor: Actor, id: string, body: AlertRuleBodyDto): Promise<AlertRule> {
    await this.getRule(actor, id);
    await this.checkRuleScope(actor, body);
    const updated = await updateAlertRule(this.db, id, this.input(body)).catch(badRequest);
    if (!updated) throw new NotFoundException(`Alert rule ${id} not found`);
    return updated;
  }

  async deleteRule(actor: Actor, id: string): Promise<void> {
    await this.getRule(actor, id);
    await deleteAlertRule(this.db, id);
  }

  async listAlerts(actor: Actor, query: ListAlertsQueryDto): Promise<AlertPageDto> {
    if (query.flowId && !canSeeFlow(actor, query.flowId)) return { items: [], nextCursor: null };
    const limit = query.limit ?? 50;
    const before = query.cursor ? decodeCursor(query.cursor, isCursor) : undefined;
    const rows = await listAlerts(this.db, {
      status: query.status,
      flowIds: actor.flowIds,
      flowId: query.flowId,
      ruleId: query.ruleId,
      limit: limit + 1,
      before: before ? { firedAt: before.f, id: before.i } : undefined,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor({ f: last.firedAt, i: last.id }) : null };
  }

  async getAlert(actor: Actor, id: string): Promise<Alert> {
    const alert = await getAlert(this.db, id);
    if (!alert || !this.visible(actor, alert.flowId)) throw new NotFoundException(`Alert ${id} not found`);
    return alert;
  }

  async acknowledge(actor: Actor, id: string): Promise<Alert> {
    await this.getAlert(actor, id);
    const alert = await acknowledgeAlert(this.db, id, actor.name);
    if (!alert) throw new NotFoundException(`Alert ${id} not found`);
    return alert;
  }
}

function badRequest(err: unknown): never {
  if (err instanceof RangeError) throw new BadRequestException(err.message);
  throw err;
}
