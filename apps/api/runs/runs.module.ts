import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowsModule } from '../flows/flows.module';
import { RunEntity } from './run.entity';
import { FlowRunsController, RunsController } from './runs.controller';
import { RunsService } from './runs.service';
import { TurnTimingsService } from './turn-timings.service';

@Module({
  imports: [TypeOrmModule.forFeature([RunEntity]), FlowsModule],
  controllers: [FlowRunsController, RunsController],
  providers: [RunsService, TurnTimingsService],
  exports: [RunsService, TurnTimingsService],
})
export class RunsModule {}
