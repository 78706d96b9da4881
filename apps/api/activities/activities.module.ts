import { Global, Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller';
import { CustomActivitiesRegistry } from './custom-activities.registry';

@Global()
@Module({ controllers: [ActivitiesController], providers: [CustomActivitiesRegistry], exports: [CustomActivitiesRegistry] })
export class ActivitiesModule {}
