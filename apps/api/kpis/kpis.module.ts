import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { loadKpiSettings } from '../../../libs/kpis/config';
import { KpisController } from './kpis.controller';
import { KPI_DB, KPI_SETTINGS, KpisService } from './kpis.service';

/**
 * KPIs, experiments and graph traffic (libs/kpis). The queries run on the API's own PostgreSQL pool
 * (TypeORM's pg Pool), in parallel and with their own transactions, so they take the Pool itself.
 */
@Module({
  controllers: [KpisController],
  providers: [
    KpisService,
    { provide: KPI_DB, inject: [getDataSourceToken()], useFactory: (ds: DataSource): Pool => (ds.driver as PostgresDriver).master as Pool },
    // A bad KPI_* variable stops the API at start with a message naming it.
    { provide: KPI_SETTINGS, useFactory: () => loadKpiSettings(process.env) },
  ],
  exports: [KpisService, KPI_DB, KPI_SETTINGS],
})
export class KpisModule {}
