import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { CauceConfig, requireConnections } from '../../../libs/config/config';
import { ensureSearchAttributes } from '../../../libs/runtime/search-attributes';
import { CAUCE_CONFIG } from '../config.module';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [CAUCE_CONFIG],
      useFactory: async (config: CauceConfig): Promise<Client> => {
        const { temporalAddress } = requireConnections(config);
        const connection = await Connection.connect({
          address: temporalAddress,
          // The SDK's default retries a refused call for ~18 s before giving up: a chat turn would hang
          // that long before its 503. Five attempts (~2 s) ride out a blip; beyond that the client,
          // told to come back by Retry-After, retries better than a held connection.
          interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 5, maxIntervalMs: () => 1000 }))],
        });
        // An external cluster may not know Cauce's search attributes yet; the dev server registers them at start.
        await ensureSearchAttributes(connection, config.temporal.namespace).catch(() => undefined);
        return new Client({ connection, namespace: config.temporal.namespace });
      },
    },
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
