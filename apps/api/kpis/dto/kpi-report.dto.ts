import { ApiProperty } from '@nestjs/swagger';
import { INTERVALS } from '../../../../libs/kpis/sql';

const rate = (what: string) => ({ description: `${what} (0-1); null when the denominator is 0`, type: Number, nullable: true });

export class KpiRatesDto {
  @ApiProperty({ description: 'USD per minute of a human agent' })
  humanMinuteCost!: number;

  @ApiProperty({ description: 'USD a contact costs without automation (the ROI baseline)' })
  baselineCostPerContact!: number;

  @ApiProperty({ description: 'First-contact resolution window (hours)' })
  fcrWindowHours!: number;

  @ApiProperty({ description: 'USD per 1,000 prompt tokens; null: the cost the AI activities reported (usage.costUsd)', type: Number, nullable: true })
  promptTokenCost!: number | null;

  @ApiProperty({ description: 'USD per 1,000 completion tokens; null: the cost the AI activities reported', type: Number, nullable: true })
  completionTokenCost!: number | null;
}

export class ResponseTimeDto {
  @ApiProperty({ description: 'Answered customer turns: one or more customer messages in a row, then a reply (bot, system or agent message)' })
  turns!: number;

  @ApiProperty({ description: 'Customer turns with no reply (yet)' })
  unanswered!: number;

  @ApiProperty({ description: 'Median time from the first customer message of a turn to the first reply (ms)', type: Number, nullable: true })
  p50Ms!: number | null;

  @ApiProperty({ description: '95th percentile of the same (ms), linear interpolation (percentile_cont)', type: Number, nullable: true })
  p95Ms!: number | null;

  @ApiProperty({ description: 'Mean of the same (ms)', type: Number, nullable: true })
  avgMs!: number | null;
}

export class EscalationKpiDto {
  @ApiProperty({ description: 'Finished runs that reached an escalation ladder (escalation.tier)' })
  escalated!: number;

  @ApiProperty({ description: 'Finished runs in which an agent accepted (escalation.accepted)' })
  humanHandled!: number;

  @ApiProperty(rate('escalated / finished runs'))
  rate!: number | null;
}

export class AiResolutionDto {
  @ApiProperty({ description: 'Finished runs with outcome `resolved` in which no agent accepted' })
  resolved!: number;

  @ApiProperty(rate('resolved without a human / finished runs'))
  rate!: number | null;
}

export class FcrDto {
  @ApiProperty({ description: 'The window (hours) a new run of the same customer and flow must not start in, after a run ends' })
  windowHours!: number;

  @ApiProperty({ description: 'Finished runs of a known customer that are settled: a new run came, or the window has passed' })
  eligible!: number;

  @ApiProperty({ description: 'Of those, runs with no new run of the same customer and flow before the window closed' })
  firstContact!: number;

  @ApiProperty({ description: 'Finished runs of a known customer still inside their window with no new run: not counted yet' })
  pending!: number;

  @ApiProperty(rate('firstContact / eligible'))
  rate!: number | null;
}

export class CsatDto {
  @ApiProperty({ description: 'CSAT answers (csat events) in the runs of the period, finished or not' })
  responses!: number;

  @ApiProperty({ description: 'Average score (1-5)', type: Number, nullable: true })
  average!: number | null;

  @ApiProperty(rate('Share of 4s and 5s'))
  topShare!: number | null;
}

export class AbandonmentDto {
  @ApiProperty({ description: 'Finished runs with outcome `abandoned`' })
  abandoned!: number;

  @ApiProperty(rate('abandoned / finished runs'))
  rate!: number | null;
}

export class FailuresDto {
  @ApiProperty({ description: 'Finished runs with outcome `failed`' })
  failed!: number;

  @ApiProperty(rate('failed / finished runs'))
  rate!: number | null;
}

export class TimeToResolutionDto {
  @ApiProperty({ description: 'Finished runs with outcome `resolved`' })
  resolved!: number;

  @ApiProperty({ description: 'Median time from run.started to run.finished of those runs (s)', type: Number, nullable: true })
  p50Seconds!: number | null;

  @ApiProperty({ description: '95th percentile of the same (s)', type: Number, nullable: true })
  p95Seconds!: number | null;

  @ApiProperty({ description: 'Mean of the same (s)', type: Number, nullable: true })
  avgSeconds!: number | null;
}

export class GoalConversionDto {
  @ApiProperty({ description: 'Goal name (the goal node’s `goal`)', example: 'purchase' })
  goal!: string;

  @ApiProperty({ description: 'Finished runs that recorded this goal at least once' })
  runs!: number;

  @ApiProperty(rate('runs / finished runs'))
  rate!: number | null;

  @ApiProperty({ description: 'Sum of the goal events’ `value`' })
  value!: number;
}

export class ConversionDto {
  @ApiProperty({ description: 'Finished runs that recorded any goal' })
  converted!: number;

  @ApiProperty(rate('converted / finished runs'))
  rate!: number | null;

  @ApiProperty({ description: 'Sum of every goal’s value' })
  value!: number;

  @ApiProperty({ description: 'Per goal', type: [GoalConversionDto] })
  perGoal!: GoalConversionDto[];
}

export class CostDto {
  @ApiProperty({ description: 'Prompt tokens of the AI calls (ai.* events’ usage) of the finished runs' })
  promptTokens!: number;

  @ApiProperty({ description: 'Completion tokens of the same' })
  completionTokens!: number;

  @ApiProperty({ description: 'LLM cost (USD): tokens at the configured rates, else the cost the activities reported' })
  llmUsd!: number;

  @ApiProperty({ description: 'Agent minutes (escalation.resolved/returned `minutes`: acceptance to close) of the finished runs' })
  humanMinutes!: number;

  @ApiProperty({ description: 'humanMinutes × humanMinuteCost (USD)' })
  humanUsd!: number;

  @ApiProperty({ description: 'llmUsd + humanUsd' })
  totalUsd!: number;

  @ApiProperty({ description: 'totalUsd / finished runs (USD)', type: Number, nullable: true })
  perInteractionUsd!: number | null;
}

export class RoiDto {
  @ApiProperty({ description: 'finished runs × baselineCostPerContact: what the contacts would have cost without the flow (USD)' })
  baselineUsd!: number;

  @ApiProperty({ description: 'baselineUsd − totalUsd' })
  savingsUsd!: number;

  @ApiProperty({ description: 'savingsUsd / totalUsd; null when nothing was spent', type: Number, nullable: true })
  roi!: number | null;
}

export class KpiValuesDto {
  @ApiProperty({ description: 'Runs that started in the period (the cohort: all KPIs are about these runs and all their events, even those after `to`)' })
  runs!: number;

  @ApiProperty({ description: 'Of those, runs that finished (a run.finished event); rates about outcomes are over these' })
  finished!: number;

  @ApiProperty({ description: 'runs − finished' })
  open!: number;

  @ApiProperty({
    description: 'Finished runs per outcome (run.finished data.outcome)',
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { resolved: 120, escalated: 14 },
  })
  outcomes!: Record<string, number>;

  @ApiProperty({ type: ResponseTimeDto })
  responseTime!: ResponseTimeDto;

  @ApiProperty({ type: EscalationKpiDto })
  escalation!: EscalationKpiDto;

  @ApiProperty({ type: AiResolutionDto })
  aiResolution!: AiResolutionDto;

  @ApiProperty({ type: FcrDto, description: 'First-contact resolution' })
  fcr!: FcrDto;

  @ApiProperty({ type: CsatDto })
  csat!: CsatDto;

  @ApiProperty({ type: AbandonmentDto })
  abandonment!: AbandonmentDto;

  @ApiProperty({ type: FailuresDto })
  failures!: FailuresDto;

  @ApiProperty({ type: TimeToResolutionDto })
  timeToResolution!: TimeToResolutionDto;

  @ApiProperty({ type: ConversionDto })
  conversion!: ConversionDto;

  @ApiProperty({ type: CostDto, description: 'Cost per interaction' })
  cost!: CostDto;

  @ApiProperty({ type: RoiDto })
  roi!: RoiDto;
}

export class KpiGroupDto extends KpiValuesDto {
  @ApiProperty({ description: 'The flow (with groupBy flow or version)', type: String, nullable: true, format: 'uuid' })
  flowId!: string | null;

  @ApiProperty({ description: 'The version (with groupBy version)', type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ description: 'Start of the bucket, UTC (with interval)', type: String, nullable: true, format: 'date-time' })
  period!: string | null;
}

export class NodeResponseTimeDto {
  @ApiProperty({ description: 'Customer turns this node answered (its reply was the first)' })
  turns!: number;

  @ApiProperty({ description: 'Median response time of those turns (ms)', type: Number, nullable: true })
  p50Ms!: number | null;

  @ApiProperty({ description: '95th percentile (ms)', type: Number, nullable: true })
  p95Ms!: number | null;
}

export class NodeAiDto {
  @ApiProperty({ description: 'AI calls recorded at this node (ai.classified, ai.sentiment, ai.reply)' })
  calls!: number;

  @ApiProperty({ description: 'Prompt tokens' })
  promptTokens!: number;

  @ApiProperty({ description: 'Completion tokens' })
  completionTokens!: number;

  @ApiProperty({ description: 'LLM cost (USD), as for the flow' })
  llmUsd!: number;
}

export class NodeCsatDto {
  @ApiProperty({ description: 'CSAT answers this node collected' })
  responses!: number;

  @ApiProperty({ description: 'Average score', type: Number, nullable: true })
  average!: number | null;

  @ApiProperty({ description: 'Share of 4s and 5s', type: Number, nullable: true })
  topShare!: number | null;
}

export class NodeEscalationDto {
  @ApiProperty({ description: 'Runs that escalated at this node' })
  escalatedRuns!: number;

  @ApiProperty({ description: 'Acceptances by an agent' })
  accepted!: number;

  @ApiProperty({ description: 'Agent minutes' })
  humanMinutes!: number;

  @ApiProperty({ description: 'Agent minutes × humanMinuteCost (USD)' })
  humanUsd!: number;
}

export class NodeConversionsDto {
  @ApiProperty({ description: 'Runs that recorded a goal at this node' })
  runs!: number;

  @ApiProperty({ description: 'Sum of the goals’ value' })
  value!: number;
}

export class NodeKpisDto {
  @ApiProperty({ description: 'Node id' })
  nodeId!: string;

  @ApiProperty({ description: 'Node type', type: String, nullable: true })
  type!: string | null;

  @ApiProperty({ description: 'Runs that entered the node' })
  runs!: number;

  @ApiProperty({ description: 'Entries (a loop counts each time)' })
  visits!: number;

  @ApiProperty({ description: 'Exits (node.left), any branch' })
  exits!: number;

  @ApiProperty({ description: 'Runs that ended the flow here (an end node)' })
  completed!: number;

  @ApiProperty({ description: 'Runs whose last step was entering this node: waiting + ended' })
  dropped!: number;

  @ApiProperty({ description: 'Of those, runs still open here' })
  waiting!: number;

  @ApiProperty({ description: 'Of those, runs that finished here without leaving (failed, cancelled)' })
  ended!: number;

  @ApiProperty({ description: 'dropped / runs', type: Number, nullable: true })
  dropOffRate!: number | null;

  @ApiProperty({ type: NodeResponseTimeDto })
  responseTime!: NodeResponseTimeDto;

  @ApiProperty({ type: NodeAiDto })
  ai!: NodeAiDto;

  @ApiProperty({ type: NodeCsatDto })
  csat!: NodeCsatDto;

  @ApiProperty({ type: NodeEscalationDto })
  escalation!: NodeEscalationDto;

  @ApiProperty({ type: NodeConversionsDto })
  conversions!: NodeConversionsDto;
}

export class KpiReportDto {
  @ApiProperty({ description: 'Start of the period (inclusive)', format: 'date-time' })
  from!: string;

  @ApiProperty({ description: 'End of the period (exclusive)', format: 'date-time' })
  to!: string;

  @ApiProperty({ description: 'The flows measured; null: every flow', type: [String], nullable: true })
  flowIds!: string[] | null;

  @ApiProperty({ description: 'The version measured; null: every version', type: Number, nullable: true })
  version!: number | null;

  @ApiProperty({ description: 'The breakdown of `groups`', enum: ['flow', 'version'], nullable: true })
  groupBy!: 'flow' | 'version' | null;

  @ApiProperty({ description: 'The period buckets of `groups`', enum: INTERVALS, nullable: true })
  interval!: (typeof INTERVALS)[number] | null;

  @ApiProperty({ description: 'The rates the costs and FCR were computed with', type: KpiRatesDto })
  rates!: KpiRatesDto;

  @ApiProperty({ description: 'Every KPI over the whole selection', type: KpiValuesDto })
  totals!: KpiValuesDto;

  @ApiProperty({ description: 'Per flow / version / period bucket, as asked (empty without groupBy or interval)', type: [KpiGroupDto] })
  groups!: KpiGroupDto[];

  @ApiProperty({ description: 'Per node (with byNode=true and a flowId)', type: [NodeKpisDto], required: false })
  nodes?: NodeKpisDto[];

  @ApiProperty({
    description:
      'Runs of the flows in scope with events stored since the facts were last refreshed, so not in these figures yet; 0: up to date. ' +
      'The worker refreshes every CAUCE_KPI_REFRESH_INTERVAL (5 s by default); POST /kpis/refresh does it at once. A GET never refreshes.',
    required: false,
    example: 0,
  })
  pendingRuns?: number;
}
