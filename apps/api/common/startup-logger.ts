import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Nest's own start-up chatter (a line per module initialised and per route mapped, ~80 lines) buries
 * the launcher's banner with the URL and the admin key. It is kept for LOG_LEVEL=debug; at every
 * other level those contexts' `log` lines are dropped, and every warning and error still shows.
 */
export const STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class StartupQuietLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && STARTUP_CONTEXTS.has(context)) return;
    super.log(message, ...(rest as [string]));
  }
}

/** The API's logger for a LOG_LEVEL (debug, info, warn, error; unset is info). */
export function apiLogger(logLevel: string | undefined): ConsoleLogger {
  const levels: Record<string, LogLevel[]> = {
    debug: ['debug', 'log', 'warn', 'error', 'fatal'],
    warn: ['warn', 'error', 'fatal'],
    error: ['error', 'fatal'],
  };
  if (logLevel === 'debug') return new ConsoleLogger({ logLevels: levels.debug });
  return new StartupQuietLogger({ logLevels: levels[logLevel ?? ''] ?? ['log', 'warn', 'error', 'fatal'] });
}
