import { Module } from '@nestjs/common';
import { AiController } from './ai.controller';
import { CLASSIFY_LLM, classifyLlmFromEnv } from './classify-engine';
import { ClassifyTryService } from './classify-try.service';

/** The AI nodes' tools for the editor: «Probar frases» for ai.classify. */
@Module({
  controllers: [AiController],
  providers: [ClassifyTryService, { provide: CLASSIFY_LLM, useFactory: () => classifyLlmFromEnv(process.env) }],
})
export class AiModule {}
