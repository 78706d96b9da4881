import { ApiProperty } from '@nestjs/swagger';

export class NodeTrafficDto {
  @ApiProperty({ description: 'Node id' })
  nodeId!: string;

  @ApiProperty({ description: 'Node type', type: String, nullable: true })
  type!: string | null;

  @ApiProperty({ description: 'Runs that entered it' })
  runs!: number;

  @ApiProperty({ description: 'Entries (a loop counts each time)' })
  visits!: number;

  @ApiProperty({ description: 'Exits (node.left), any branch' })
  exits!: number;

  @ApiProperty({ description: 'Runs that ended the flow here (an end node)' })
  completed!: number;

  @ApiProperty({ description: 'Runs whose last step was entering this node, without leaving it: waiting + ended' })
  dropped!: number;

  @ApiProperty({ description: 'Of those, runs still open here (a wait, an escalation)' })
  waiting!: number;

  @ApiProperty({ description: 'Of those, runs that finished here (failed, cancelled)' })
  ended!: number;

  @ApiProperty({ description: 'dropped / runs', type: Number, nullable: true })
  dropOffRate!: number | null;
}

export class EdgeTrafficDto {
  @ApiProperty({ description: 'Edge id in the flow definition; null for a branch that version has no edge for', type: String, nullable: true })
  id!: string | null;

  @ApiProperty({ description: 'Source node' })
  source!: string;

  @ApiProperty({ description: 'Branch (sourceHandle)' })
  sourceHandle!: string;

  @ApiProperty({ description: 'Target node', type: String, nullable: true })
  target!: string | null;

  @ApiProperty({ description: 'Runs that took the branch' })
  runs!: number;

  @ApiProperty({ description: 'Times the branch was taken' })
  transitions!: number;

  @ApiProperty({ description: 'transitions / exits of the source', type: Number, nullable: true })
  share!: number | null;
}

export class TrafficReportDto {
  @ApiProperty({ description: 'Flow id', format: 'uuid' })
  flowId!: string;

  @ApiProperty({
    description: 'The version whose definition names the nodes and edges (the one asked for, else the latest published)',
    type: Number,
    nullable: true,
  })
  definitionVersion!: number | null;

  @ApiProperty({ description: 'Start of the period (runs started at or after it)', format: 'date-time' })
  from!: string;

  @ApiProperty({ description: 'End of the period (exclusive)', format: 'date-time' })
  to!: string;

  @ApiProperty({ description: 'Runs started in the period' })
  runs!: number;

  @ApiProperty({ type: [NodeTrafficDto], description: 'Runs that entered and left each node, and where they dropped off' })
  nodes!: NodeTrafficDto[];

  @ApiProperty({ type: [EdgeTrafficDto], description: 'Runs that took each branch (edge) of the graph' })
  edges!: EdgeTrafficDto[];
}
