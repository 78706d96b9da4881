import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../../libs/db/transaction';
import { Alert, AlertRule, AlertRuleInput } from '../../../libs/kpis/alerts';
import { AlertRepository } from '../../../libs/kpis/alert.repository';
import { AuditService } from '../audit/audit.service';
import { Actor, canSeeFlow } from '../auth/actor';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { KPI_DB, KpisService } from '../kpis/kpis.service';
import { AlertPageDto, AlertRuleBodyDto, ListAlertRulesQueryDto, ListAlertsQueryDto } from './dto/alerts.dto';

const isCursor = (v: unknown): v is { f: string; i: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { f?: unknown }).f === 'string' &&
  typeof (v as { i?: unknown }).i === 'string' &&
  !Number.isNaN(Date.parse((v as { f: string }).f)) &&
  /^[0-9a-f-]{36}$/i.test((v as { i: string }).i);

/** A rule's settings as the audit log keeps them (no check results: those change every minute). */
function ruleSettings(r: AlertRule): Record<string, unknown> {
  return {
    name: r.name,
    flowId: r.flowId,
    version: r.version,
    kpi: r.kpi,
    comparator: r.comparator,
    threshold: r.threshold,
    windowMinutes: r.windowMinutes,
    minSample: r.minSample,
    channel: r.channel,
    recipient: r.recipient,
    enabled: r.enabled,
  };
}

/** The settings an update changed, before and after (like a flow update's diff: only what moved). */
function ruleChanges(before: AlertRule, after: AlertRule): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const a = ruleSettings(before);
  const b = ruleSettings(after);
  const changed = Object.keys(b).filter((k) => a[k] !== b[k]);
  return { before: Object.fromEntries(changed.map((k) => [k, a[k]])), after: Object.fromEntries(changed.map((k) => [k, b[k]])) };
}

/**
 * Alert rules (editors) and the alerts the scheduled check records (operators read and acknowledge
 * them). Every change goes to the audit log in the transaction that makes it.
 */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(KPI_DB) private readonly db: Pool,
    private readonly kpis: KpisService,
    private readonly audit: AuditService,
  ) {}

  /** Runs `work` in a transaction on one client of the pool. */
  private transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.db, work);
  }

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
    if (((body.channel ?? null) === null) !== ((body.recipient ?? null) === null))
      throw new BadRequestException('channel and recipient go together: give both or neither');
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
    return new AlertRepository(this.db).listRules({ flowIds: actor.flowIds, flowId: query.flowId });
  }

  async getRule(actor: Actor, id: string): Promise<AlertRule> {
    const rule = await new AlertRepository(this.db).getRule(id);
    if (!rule || !this.visible(actor, rule.flowId)) throw new NotFoundException(`Alert rule ${id} not found`);
    return rule;
  }

  async createRule(actor: Actor, body: AlertRuleBodyDto): Promise<AlertRule> {
    await this.checkRuleScope(actor, body);
    const input = this.input(body);
    return this.transaction(async (c) => {
      const rule = await new AlertRepository(c).createRule(input, actor.name).catch(badRequest);
      await this.audit.recordWith(c, actor, 'alert_rule.created', { type: 'alert_rule', id: rule.id }, ruleSettings(rule));
      return rule;
    });
  }

  async updateRule(actor: Actor, id: string, body: AlertRuleBodyDto): Promise<AlertRule> {
    await this.getRule(actor, id);
    await this.checkRuleScope(actor, body);
    const input = this.input(body);
    return this.transaction(async (c) => {
      const rules = new AlertRepository(c);
      // The row locked first, so `before` is what this update replaces, not what a concurrent one did.
      await rules.lockRule(id);
      const before = await rules.getRule(id);
      const updated = before ? await rules.updateRule(id, input).catch(badRequest) : null;
      if (!before || !updated) throw new NotFoundException(`Alert rule ${id} not found`);
      await this.audit.recordWith(c, actor, 'alert_rule.updated', { type: 'alert_rule', id }, { name: updated.name, ...ruleChanges(before, updated) });
      return updated;
    });
  }

  async deleteRule(actor: Actor, id: string): Promise<void> {
    await this.getRule(actor, id);
    await this.transaction(async (c) => {
      const rules = new AlertRepository(c);
      await rules.lockRule(id);
      const before = await rules.getRule(id);
      if (!before || !(await rules.deleteRule(id))) throw new NotFoundException(`Alert rule ${id} not found`);
      await this.audit.recordWith(c, actor, 'alert_rule.deleted', { type: 'alert_rule', id }, ruleSettings(before));
    });
  }

  async listAlerts(actor: Actor, query: ListAlertsQueryDto): Promise<AlertPageDto> {
    if (query.flowId && !canSeeFlow(actor, query.flowId)) return { items: [], nextCursor: null };
    const limit = query.limit ?? 50;
    const before = query.cursor ? decodeCursor(query.cursor, isCursor) : undefined;
    const rows = await new AlertRepository(this.db).listAlerts({
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
    const alert = await new AlertRepository(this.db).getAlert(id);
    if (!alert || !this.visible(actor, alert.flowId)) throw new NotFoundException(`Alert ${id} not found`);
    return alert;
  }

  /** Acknowledges an alert; only the acknowledgement that changes it is audited (a repeat changes nothing). */
  async acknowledge(actor: Actor, id: string): Promise<Alert> {
    await this.getAlert(actor, id);
    return this.transaction(async (c) => {
      const alerts = new AlertRepository(c);
      const locked = await alerts.lockAlert(id);
      const alert = locked ? await alerts.acknowledge(id, actor.name) : null;
      if (!locked || !alert) throw new NotFoundException(`Alert ${id} not found`);
      if (!locked.acknowledged) {
        await this.audit.recordWith(
          c,
          actor,
          'alert.acknowledged',
          { type: 'alert', id },
          {
            ruleId: alert.ruleId,
            ruleName: alert.ruleName,
            flowId: alert.flowId,
            kpi: alert.kpi,
            value: alert.value,
            firedAt: alert.firedAt,
            resolved: alert.resolvedAt !== null,
          },
        );
      }
      return alert;
    });
  }
}

function badRequest(err: unknown): never {
  if (err instanceof RangeError) throw new BadRequestException(err.message);
  throw err;
}
