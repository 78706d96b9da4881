import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CauceConfig, requireConnections } from '../../../libs/config/config';
import { dataSourceOptions } from '../../../libs/db/data-source';
import { CAUCE_CONFIG } from '../config.module';
import { PG_POOL, pgPoolProvider } from './pg-pool';

/**
 * The database connection: TypeORM opens it and runs the migrations (it has no entities); the
 * features reach PostgreSQL through PG_POOL and the repositories in libs/.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CAUCE_CONFIG],
      useFactory: (config: CauceConfig) => ({
        ...dataSourceOptions(requireConnections(config).databaseUrl),
        // Pending migrations run at start, so an API instance never serves an old schema.
        migrationsRun: true,
      }),
    }),
  ],
  providers: [pgPoolProvider],
  exports: [PG_POOL],
})
export class DatabaseModule {}
