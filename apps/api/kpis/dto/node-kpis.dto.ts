import { ApiProperty } from '@nestjs/swagger';

/** Per-node KPIs of a report (`byNode=true` with a flowId): traffic, drop-off and what happened at each node. */
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
