import * as fs from 'node:fs';
import * as path from 'node:path';
import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/http-exception.filter';

export const API_PREFIX = 'api';
export const BODY_LIMIT = '1mb';

/** The built editor: `dist/ui` next to the compiled API, or the build output when running from source. */
function uiDirectory(): string | undefined {
  const candidates = [process.env.CAUCE_UI_DIR, path.resolve(__dirname, '../../ui'), path.resolve(__dirname, '../../dist/ui')];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'index.html')));
}

export async function createApiApp(options: { logger?: false | ('log' | 'error' | 'warn')[] } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: options.logger ?? ['log', 'error', 'warn'],
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cauce API')
      .setDescription('Flows, versions, runs, events and KPIs of Cauce, the CX automation engine.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/openapi.json` });

  const ui = uiDirectory();
  if (ui) {
    app.useStaticAssets(ui, { index: false });
    const indexHtml = path.join(ui, 'index.html');
    // The editor is a single-page app: every non-API GET that is not a file gets index.html.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith(`/${API_PREFIX}/`) || req.path === `/${API_PREFIX}`) return next();
      res.sendFile(indexHtml);
    });
  }
  return app;
}
