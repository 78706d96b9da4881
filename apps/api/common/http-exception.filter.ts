import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DEPENDENCY_RETRY_AFTER_S, unavailableDependency } from './dependency-errors';

const DEPENDENCY_NAMES = { database: 'The database (PostgreSQL)', temporal: 'Temporal' } as const;

/** The API's one error shape: `{ statusCode, error, message, details? }`. No stack trace leaves the server. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let body: ApiErrorBody;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : { message: raw };
      const message = Array.isArray(obj.message) ? obj.message.join('; ') : String(obj.message ?? exception.message);
      body = {
        statusCode: status,
        error: REASONS[status] ?? (typeof obj.error === 'string' ? obj.error : 'Error'),
        message,
        ...(obj.details !== undefined ? { details: obj.details } : Array.isArray(obj.message) ? { details: obj.message } : {}),
      };
    } else if (isBodyParserError(exception)) {
      body = bodyParserErrorBody(exception);
    } else if (unavailableDependency(exception)) {
      // A dependency restarting is not the client's fault nor a bug: 503, retry shortly.
      const dependency = unavailableDependency(exception)!;
      this.logger.warn(`${dependency} unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      body = {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: REASONS[503],
        message: `${DEPENDENCY_NAMES[dependency]} is not reachable right now; retry shortly`,
      };
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      body = { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: REASONS[500], message: 'An unexpected error occurred; it has been logged.' };
    }
    // Every 503 says when to come back, unless whoever refused already did.
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_S));
    res.status(body.statusCode).json(body);
  }
}

/** The error body for a body the JSON parser refused (malformed, too large, wrong charset). */
export function bodyParserErrorBody(exception: { status: number; message: string; limit?: number }): ApiErrorBody {
  const status = exception.status;
  return {
    statusCode: status,
    error: REASONS[status] ?? 'Bad Request',
    message: status === 413 ? `The request body is larger than the limit (${exception.limit} bytes)` : `Malformed request body: ${exception.message}`,
  };
}

export function isBodyParserError(e: unknown): e is { status: number; message: string; limit?: number; type: string } {
  return typeof e === 'object' && e !== null && 'type' in e && 'status' in e && typeof (e as { status: unknown }).status === 'number';
}
