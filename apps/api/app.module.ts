import { Module } from '@nestjs/common';
import { ActivitiesModule } from './activities/activities.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { RunsModule } from './runs/runs.module';
import { TemporalModule } from './temporal/temporal.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { OutboxModule } from './outbox/outbox.module';
import { SecretsModule } from './secrets/secrets.module';
import { CustomersModule } from './customers/customers.module';
import { KpisModule } from './kpis/kpis.module';
import { AlertsModule } from './alerts/alerts.module';
import { AiModule } from './ai/ai.module';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    TemporalModule,
    MetricsModule,
    AuditModule,
    AuthModule,
    ActivitiesModule,
    HealthModule,
    FlowsModule,
    RunsModule,
    EventsModule,
    KnowledgeModule,
    OutboxModule,
    SecretsModule,
    CustomersModule,
    KpisModule,
    AlertsModule,
    AiModule,
  ],
})
export class AppModule {}
