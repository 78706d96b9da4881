import { ApiProperty } from '@nestjs/swagger';

export class VariantComparisonDto {
  @ApiProperty({ description: 'rate − control rate (absolute, 0-1)', type: Number, nullable: true })
  difference!: number | null;

  @ApiProperty({ description: '(rate − control rate) / control rate; null when the control rate is 0', type: Number, nullable: true })
  lift!: number | null;

  @ApiProperty({
    description:
      'Lower bound of the confidence interval of `difference` (Wald, unpooled) at the experiment’s `ciLevel`: 95% with one comparison; with m comparisons with the control, Bonferroni’s 1 − 0.05/m (e.g. 97.5% for three variants), so all m intervals hold together at 95%',
    type: Number,
    nullable: true,
  })
  ciLow!: number | null;

  @ApiProperty({ description: 'Upper bound of the same interval (same `ciLevel`)', type: Number, nullable: true })
  ciHigh!: number | null;

  @ApiProperty({
    description: 'z statistic of the pooled two-proportion z-test; null when undefined (no conversions or all converted on both sides)',
    type: Number,
    nullable: true,
  })
  z!: number | null;

  @ApiProperty({ description: 'Two-sided p-value of that test, unadjusted (as if it were the only comparison)', type: Number, nullable: true })
  pValue!: number | null;

  @ApiProperty({
    description:
      'pValue adjusted by Holm–Bonferroni over the experiment’s comparisons with the control (see `comparisons`); equal to pValue with two variants. Significance is decided on this one',
    type: Number,
    nullable: true,
  })
  pValueAdjusted!: number | null;

  @ApiProperty({ description: 'pValueAdjusted < alpha and both sides have at least minSample exposures' })
  significant!: boolean;
}

export class VariantResultDto {
  @ApiProperty({ description: 'Variant id (its branch)', example: 'B' })
  id!: string;

  @ApiProperty({ description: 'Weight in the flow definition; null for a variant no longer in it', type: Number, nullable: true })
  weight!: number | null;

  @ApiProperty({ description: 'Subjects (customer, or run without one) exposed to it in the period' })
  exposures!: number;

  @ApiProperty({ description: 'Of those, subjects that reached a goal (the goal asked for, or any) in a run of this variant, at or after their exposure' })
  conversions!: number;

  @ApiProperty({ description: 'conversions / exposures', type: Number, nullable: true })
  rate!: number | null;

  @ApiProperty({ description: 'Whether it is the control' })
  isControl!: boolean;

  @ApiProperty({ description: 'Against the control; null for the control itself', type: VariantComparisonDto, nullable: true })
  vsControl!: VariantComparisonDto | null;

  @ApiProperty({ description: 'P(best) under Beta(1 + conversions, 1 + non-conversions): the share an adaptive split sends it now' })
  probabilityBest!: number;
}

export class ExperimentResultDto {
  @ApiProperty({ description: 'Experiment key (abSplit `experiment`)', example: 'welcome-copy' })
  experiment!: string;

  @ApiProperty({ description: 'The abSplit node of the latest (or given) version', type: String, nullable: true })
  nodeId!: string | null;

  @ApiProperty({ description: 'Whether the node shifts traffic by Thompson sampling' })
  adaptive!: boolean;

  @ApiProperty({ description: 'The control variant' })
  control!: string;

  @ApiProperty({ description: 'The goal counted as conversion; null: any goal', type: String, nullable: true })
  goal!: string | null;

  @ApiProperty({ description: 'Exposures each variant needs before a winner may be declared' })
  minSample!: number;

  @ApiProperty({ description: 'Significance level (family-wise over the comparisons when they are corrected)' })
  alpha!: number;

  @ApiProperty({ description: 'Comparisons with the control that have a p-value: variants with exposures, besides the control' })
  comparisons!: number;

  @ApiProperty({
    description: 'holm: more than one comparison, so p-values are Holm–Bonferroni adjusted and intervals Bonferroni-widened; none: a single comparison',
    enum: ['holm', 'none'],
  })
  correction!: 'holm' | 'none';

  @ApiProperty({ description: 'Confidence level of every ciLow/ciHigh interval: 0.95, or 1 − 0.05/comparisons when corrected', example: 0.975 })
  ciLevel!: number;

  @ApiProperty({ description: 'Exposures over every variant' })
  exposures!: number;

  @ApiProperty({ description: 'Conversions over every variant' })
  conversions!: number;

  @ApiProperty({ type: [VariantResultDto], description: 'Every variant with its exposures, conversions and comparison with the control' })
  variants!: VariantResultDto[];

  @ApiProperty({
    description:
      'insufficient_data: some variant has fewer than minSample exposures; winner: the best variant converts significantly better than every other one (its comparisons with each Holm-adjusted, all below alpha); else no_significant_difference',
    enum: ['insufficient_data', 'no_significant_difference', 'winner'],
  })
  status!: 'insufficient_data' | 'no_significant_difference' | 'winner';

  @ApiProperty({ description: 'The winning variant', type: String, nullable: true })
  winner!: string | null;
}

export class ExperimentReportDto {
  @ApiProperty({ description: 'Flow id', format: 'uuid' })
  flowId!: string;

  @ApiProperty({ description: 'Start of the period (exposures at or after it)', format: 'date-time' })
  from!: string;

  @ApiProperty({ description: 'End of the period (exclusive)', format: 'date-time' })
  to!: string;

  @ApiProperty({ type: [ExperimentResultDto], description: 'One entry per experiment (abSplit node) of the flow' })
  experiments!: ExperimentResultDto[];
}
