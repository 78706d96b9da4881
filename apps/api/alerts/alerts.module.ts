import { Module } from '@nestjs/common';
import { KpisModule } from '../kpis/kpis.module';
import { AlertRulesController, AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Alert rules (editor) and alerts (operator reads and acknowledges). The check itself runs on the worker (upkeep/alert-check). */
@Module({
  imports: [KpisModule],
  controllers: [AlertRulesController, AlertsController],
  providers: [AlertsService],
})
export class AlertsModule {}
