import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { MeController } from './me.controller';
import { RequestLimits } from './request-limits';

@Global()
@Module({
  controllers: [ApiKeysController, MeController],
  providers: [ApiKeysService, RequestLimits, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ApiKeysService, RequestLimits],
})
export class AuthModule {}
