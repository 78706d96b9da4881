import { Module } from '@nestjs/common';
import { ConfigModule } from './config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { TemporalModule } from './temporal/temporal.module';

@Module({
  imports: [ConfigModule, DatabaseModule, TemporalModule, HealthModule],
})
export class AppModule {}
