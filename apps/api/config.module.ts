import { Global, Module } from '@nestjs/common';
import { CauceConfig, loadConfig } from '../../libs/config/config';

export const CAUCE_CONFIG = Symbol('CAUCE_CONFIG');

@Global()
@Module({
  providers: [{ provide: CAUCE_CONFIG, useFactory: (): CauceConfig => loadConfig() }],
  exports: [CAUCE_CONFIG],
})
export class ConfigModule {}
