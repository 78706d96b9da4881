import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlowVersionEntity } from './flow-version.entity';
import { FlowEntity } from './flow.entity';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { SchedulesService } from './schedules.service';

@Module({
  imports: [TypeOrmModule.forFeature([FlowEntity, FlowVersionEntity])],
  controllers: [FlowsController],
  providers: [FlowsService, SchedulesService],
  exports: [FlowsService],
})
export class FlowsModule {}
