import * as fs from 'node:fs';
import * as path from 'node:path';
import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { installRequestGate } from './auth/request-gate';
import { ApiExceptionFilter, bodyParserErrorBody, isBodyParserError } from './common/http-exception.filter';
import { loadDtoMetadata } from './common/dto-metadata';
import { documentValidators, finishDocument, methodNotAllowed } from './common/openapi';
import { PayloadParamsPipe, payloadGuardMiddleware } from './common/payload-guard';
import { ShutdownState } from './health/shutdown-state';
import { httpMetricsMiddleware } from './metrics/metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { apiLogger } from './common/startup-logger';

export const API_PREFIX = 'api';
export const BODY_LIMIT = '1mb';

/** The built editor: `dist/ui` next to the compiled API, or the build output when running from source. */
function uiDirectory(): string | undefined {
  const candidates = [process.env.CAUCE_UI_DIR, path.resolve(__dirname, '../../ui'), path.resolve(__dirname, '../../dist/ui')];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'index.html')));
}

export async function createApiApp(options: { logger?: false | ('log' | 'error' | 'warn')[] } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    // LOG_LEVEL as the rest of the stack reads it (libs/config); Nest's start-up lines only at debug.
    logger: options.logger ?? apiLogger(process.env.LOG_LEVEL?.trim() || undefined),
    bodyParser: false,
  });
  // First, so the latency histogram sees every API request, refused ones included.
  app.use(httpMetricsMiddleware(app.get(MetricsService), API_PREFIX));
  // While the API stops (main.ts), new requests get 503 and the ones in flight are counted to the end.
  app.use(app.get(ShutdownState).middleware(`/${API_PREFIX}/health`));
  // Per-address and cached per-key limits, before the body is read or a key looked up (auth/request-gate.ts).
  installRequestGate(app, API_PREFIX);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  // Refused bodies answer here, before Nest turns a JSON syntax error into a bare 400.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!isBodyParserError(err)) return next(err);
    const body = bodyParserErrorBody(err);
    res.status(body.statusCode).json(body);
  });
  // NUL characters, lone surrogates and over-deep nesting are refused here, before any guard, pipe or
  // recursive validator sees the body (common/payload-guard.ts); path parameters by the pipe below.
  app.use(payloadGuardMiddleware());
  app.setGlobalPrefix(API_PREFIX);
  // A method the OpenAPI document does not list on a path it does answers 405 with Allow (common/openapi.ts).
  const methods = methodNotAllowed(API_PREFIX);
  app.use(methods.middleware);
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(new PayloadParamsPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  // No enableShutdownHooks(): main.ts stops on signals itself, draining requests before Nest closes
  // the database and Temporal connections (Nest's hooks would close those first).

  // What the Swagger plugin inferred from the DTO files (nest-cli.json), before the document is built.
  await loadDtoMetadata();
  const document = apiDocument(app);
  methods.use(document);
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

/** The OpenAPI document of `app`: served at /api/openapi.json, and the source of the editor's API types (scripts/gen-api-types.mjs). */
export function apiDocument(app: INestApplication): OpenAPIObject {
  documentValidators();
  return finishDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Cauce API')
        .setDescription(
          'Flows, versions, runs, events and KPIs of Cauce, the CX automation engine. Every route except /api/health needs an API key ' +
            '(`Authorization: Bearer <key>`) whose role allows it: admin (everything), editor (flows, test runs, reading runs), ' +
            'operator (reading runs, agent messages and agent.* events, cancel), system (starting runs, customer messages, business events, reading runs). ' +
            'Errors are `{ statusCode, error, message, details? }`.',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
}

/**
 * The API's modules and routes in Nest's preview mode: no provider is constructed, so nothing connects
 * to PostgreSQL or Temporal and nothing listens. Enough for `apiDocument`, which needs only the routes.
 */
export async function createApiDocumentApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { preview: true, logger: false });
  app.setGlobalPrefix(API_PREFIX);
  await loadDtoMetadata();
  return app;
}
