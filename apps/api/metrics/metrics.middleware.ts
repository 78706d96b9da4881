import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

/**
 * Times every API request. The route label is the matched pattern (`/api/runs/:runId/messages`),
 * never the raw path, so run ids do not explode the series; unmatched paths count as `unmatched`.
 */
export function httpMetricsMiddleware(metrics: MetricsService, prefix: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith(`/${prefix}/`) && req.path !== `/${prefix}`) return next();
    const started = performance.now();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, (performance.now() - started) / 1000);
    });
    next();
  };
}
