import { Injectable, NestMiddleware, PipeTransform, ValidationPipe } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ImportKnowledgeDto } from './dto';

/** The API's JSON body limit (BODY_LIMIT, 1 MB, in app.factory.ts), for the raw Markdown body too. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Content types a raw Markdown import may be sent with. */
export const MARKDOWN_TYPES = /^\s*text\/(markdown|x-markdown|plain)\s*(;|$)/i;

/**
 * Reads a `text/markdown` (or text/plain) body as a string for `POST /api/knowledge/import`; the API
 * parses only JSON itself. Same 1 MB limit, and refusals in the API's error shape.
 */
@Injectable()
export class MarkdownBodyMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    if (!MARKDOWN_TYPES.test(req.headers['content-type'] ?? '')) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        refused = true;
        res.status(413).json({ statusCode: 413, error: 'Payload Too Large', message: `The request body is larger than the limit (${BODY_LIMIT_BYTES} bytes)` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      (req as Request & { body: unknown }).body = Buffer.concat(chunks).toString('utf8');
      next();
    });
    req.on('error', (err) => {
      if (refused) return;
      refused = true;
      res.status(400).json({ statusCode: 400, error: 'Bad Request', message: `Malformed request body: ${err.message}` });
    });
  }
}

/**
 * The import's body: a Markdown string (from the middleware above) passes as it is; anything else is
 * validated as `ImportKnowledgeDto`, with the same options as the global pipe (which skips this
 * parameter because its type is a union).
 */
@Injectable()
export class ImportBodyPipe implements PipeTransform<unknown, Promise<ImportKnowledgeDto | string>> {
  private readonly validation = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

  async transform(value: unknown): Promise<ImportKnowledgeDto | string> {
    if (typeof value === 'string') return value;
    return this.validation.transform(value ?? {}, { type: 'body', metatype: ImportKnowledgeDto });
  }
}
