import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowsModule } from '../flows/flows.module';
import { RunEntity } from './run.entity';
import { FlowRunsController, RunsController } from './runs.controller';
import { RunsService } from './runs.service';

@Module({
  imports: [TypeOrmModule.forFeature([RunEntity]), FlowsModule],
  controllers: [FlowRunsController, RunsController],
  providers: [RunsService],
  exports: [RunsService],
})
export class RunsModule {}
