import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeService } from './knowledge.service';
import { MarkdownBodyMiddleware } from './markdown-body';

@Module({
  controllers: [KnowledgeController],
  providers: [KnowledgeService],
})
export class KnowledgeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MarkdownBodyMiddleware).forRoutes({ path: 'knowledge/import', method: RequestMethod.POST });
  }
}
