import { Module } from '@nestjs/common';
import { PG_POOL } from '../database/pg-pool';
import { loadKpiSettings } from '../../../libs/kpis/config';
import { KpisController } from './kpis.controller';
import { KPI_DB, KPI_SETTINGS, KpisService } from './kpis.service';

/**
 * KPIs, experiments and graph traffic (libs/kpis). The queries run on the API's own PostgreSQL pool
 * (PG_POOL, apps/api/database), in parallel and with their own transactions, so they take the Pool itself.
 */
@Module({
  controllers: [KpisController],
  providers: [
    KpisService,
    { provide: KPI_DB, useExisting: PG_POOL },
    // A bad KPI_* variable stops the API at start with a message naming it.
    { provide: KPI_SETTINGS, useFactory: () => loadKpiSettings(process.env) },
  ],
  exports: [KpisService, KPI_DB, KPI_SETTINGS],
})
export class KpisModule {}
