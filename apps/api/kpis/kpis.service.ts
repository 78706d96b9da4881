import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { KpiSettings, resolveRates } from '../../../libs/kpis/config';
import { kpisToCsv } from '../../../libs/kpis/csv';
import { experimentResults, ExperimentReport } from '../../../libs/kpis/experiments';
import { refreshRunFacts } from '../../../libs/kpis/facts';
import { pendingRuns } from '../../../libs/kpis/freshness';
import { computeKpis, KpiReport } from '../../../libs/kpis/kpis';
import { nodeKpis, NodeKpis } from '../../../libs/kpis/nodes';
import { flowTraffic, TrafficReport } from '../../../libs/kpis/traffic';
import { Actor, canSeeFlow, requireFlowScope } from '../auth/actor';
import { ExperimentsQueryDto, KpisQueryDto, PeriodQueryDto } from './dto/kpis-query.dto';

export const KPI_DB = Symbol('KPI_DB');
export const KPI_SETTINGS = Symbol('KPI_SETTINGS');

const DAY = 86_400_000;
/** The longest period one request may ask for, and the most period buckets it may break it into. */
export const MAX_PERIOD_DAYS = 400;
export const MAX_BUCKETS = 2000;
const BUCKET_MS = { hour: 3_600_000, day: DAY, week: 7 * DAY, month: 28 * DAY };

export type KpiReportWithNodes = KpiReport & { nodes?: NodeKpis[] };

@Injectable()
export class KpisService {
  constructor(
    @Inject(KPI_DB) private readonly db: Pool,
    @Inject(KPI_SETTINGS) private readonly settings: KpiSettings,
  ) {}

  /** [from, to) of a request: default the 30 days up to now; 400 when backwards or too long. */
  period(query: PeriodQueryDto): { from: Date; to: Date } {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY);
    if (!(from < to)) throw new BadRequestException('from must be before to');
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY) throw new BadRequestException(`the period may be at most ${MAX_PERIOD_DAYS} days`);
    return { from, to };
  }

  /** A flow the key may see and that exists, else 404 (same answer for both, so ids cannot be probed). */
  async requireFlow(actor: Actor, flowId: string): Promise<void> {
    const notFound = `Flow ${flowId} not found`;
    requireFlowScope(actor, flowId, notFound);
    const { rowCount } = await this.db.query(`SELECT 1 FROM flows WHERE id = $1`, [flowId]);
    if (!rowCount) throw new NotFoundException(notFound);
  }

  async kpis(actor: Actor, query: KpisQueryDto): Promise<KpiReportWithNodes> {
    const { from, to } = this.period(query);
    if (query.byNode && !query.flowId) throw new BadRequestException('byNode needs flowId');
    if (query.interval && (to.getTime() - from.getTime()) / BUCKET_MS[query.interval] > MAX_BUCKETS) {
      throw new BadRequestException(
        `interval ${query.interval} over this period makes more than ${MAX_BUCKETS} buckets; choose a longer interval or a shorter period`,
      );
    }
    let flowIds: string[] | null = actor.flowIds;
    if (query.flowId) {
      await this.requireFlow(actor, query.flowId);
      flowIds = [query.flowId];
    }
    const rates = resolveRates(this.settings, {
      humanMinuteCost: query.humanMinuteCost,
      baselineCostPerContact: query.baselineCostPerContact,
      fcrWindowHours: query.fcrWindowHours,
      promptTokenCost: query.promptTokenCost,
      completionTokenCost: query.completionTokenCost,
    });
    const report: KpiReportWithNodes = await computeKpis(this.db, {
      from,
      to,
      flowIds,
      version: query.version,
      groupBy: query.groupBy ?? null,
      interval: query.interval ?? null,
      rates,
    });
    if (query.byNode && query.flowId) report.nodes = await nodeKpis(this.db, { flowId: query.flowId, from, to, version: query.version, rates });
    return report;
  }

  async csv(actor: Actor, query: KpisQueryDto): Promise<string> {
    return kpisToCsv(await this.kpis(actor, { ...query, byNode: false }));
  }

  async experiments(actor: Actor, flowId: string, query: ExperimentsQueryDto): Promise<ExperimentReport> {
    await this.requireFlow(actor, flowId);
    const { from, to } = this.period(query);
    return experimentResults(this.db, {
      flowId,
      from,
      to,
      version: query.version,
      goal: query.goal,
      control: query.control,
      minSample: query.minSample ?? this.settings.experimentMinSample,
      alpha: query.alpha ?? this.settings.experimentAlpha,
    });
  }

  async traffic(actor: Actor, flowId: string, query: PeriodQueryDto): Promise<TrafficReport> {
    await this.requireFlow(actor, flowId);
    const { from, to } = this.period(query);
    return flowTraffic(this.db, { flowId, from, to, version: query.version });
  }

  /**
   * The refresh command: brings the KPI facts and rollups up to date with every event stored so far
   * (what the worker does every few seconds), for a client that needs the newest figures before it
   * reads. It refreshes every flow's facts (they are one table, refreshed in turns), but a key limited
   * to some flows is told only how many of its own flows' runs were pending.
   */
  async refresh(actor: Actor): Promise<{ runs: number; days: number; ms: number }> {
    const own = actor.flowIds === null ? null : await pendingRuns(this.db, actor.flowIds);
    const { runs, days, ms } = await refreshRunFacts(this.db);
    return { runs: own ?? runs, days, ms: Math.round(ms) };
  }

  canSee(actor: Actor, flowId: string | null): boolean {
    return flowId === null ? actor.flowIds === null : canSeeFlow(actor, flowId);
  }
}
