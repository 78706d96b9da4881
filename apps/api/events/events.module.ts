import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { RunsModule } from '../runs/runs.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

@Module({ imports: [FlowsModule, RunsModule], controllers: [EventsController], providers: [EventsService] })
export class EventsModule {}
