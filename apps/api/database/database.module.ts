import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CauceConfig, requireConnections } from '../../../libs/config/config';
import { dataSourceOptions } from '../../../libs/db/data-source';
import { CAUCE_CONFIG } from '../config.module';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CAUCE_CONFIG],
      useFactory: (config: CauceConfig) => ({
        ...dataSourceOptions(requireConnections(config).databaseUrl),
        // Pending migrations run at start, so an API instance never serves an old schema.
        migrationsRun: true,
        autoLoadEntities: true,
      }),
    }),
  ],
})
export class DatabaseModule {}
