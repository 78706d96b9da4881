import { Module } from '@nestjs/common';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { SchedulesService } from './schedules.service';

@Module({
  controllers: [FlowsController],
  providers: [FlowsService, SchedulesService],
  exports: [FlowsService],
})
export class FlowsModule {}
