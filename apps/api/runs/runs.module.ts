import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { ChatTurnService } from './chat-turn.service';
import { RunCommandsService } from './run-commands.service';
import { runIndexProviders } from './run-index.provider';
import { RunLiveness } from './run-liveness';
import { RunLookup } from './run-lookup';
import { RunReadsService } from './run-reads.service';
import { RepliesDeliveredService } from './replies-delivered.service';
import { RunStartService } from './run-start.service';
import { FlowRunsController, RunsController } from './runs.controller';
import { TurnTimingsService } from './turn-timings.service';

/**
 * Runs, split by job: starting (RunStartService), the chat turn (ChatTurnService), commands
 * (business events, cancel: RunCommandsService) and reads (RunReadsService). The `runs` table is
 * written only through libs/runs-index (RunIndexRepository), never from a read.
 */
@Module({
  imports: [FlowsModule],
  controllers: [FlowRunsController, RunsController],
  providers: [
    ...runIndexProviders,
    RunLookup,
    RunLiveness,
    RunStartService,
    ChatTurnService,
    RunCommandsService,
    RunReadsService,
    TurnTimingsService,
    RepliesDeliveredService,
  ],
  exports: [RunStartService, RunCommandsService, TurnTimingsService],
})
export class RunsModule {}
