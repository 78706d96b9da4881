import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets shared by the HTTP and chat-turn histograms; dashboards' quantiles rely on them. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The content type Prometheus expects for the text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * The API's metrics (prom-client), one registry per API process. The names, labels, HELP texts and
 * buckets are what scrapers' dashboards query: rename one and a dashboard goes blank.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'cauce_http_request_duration_seconds',
    help: 'HTTP request latency of the API, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly runsStarted = new Counter({
    name: 'cauce_runs_started_total',
    help: 'Runs started through the API, by trigger (api, event, test)',
    labelNames: ['trigger'] as const,
    registers: [this.registry],
  });

  readonly chatTurnDuration = new Histogram({
    name: 'cauce_chat_turn_duration_seconds',
    help: 'Chat turn latency: a message posted to a run until its replies are returned, by result',
    labelNames: ['result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly eventsReceived = new Counter({
    name: 'cauce_events_received_total',
    help: 'Business and agent events received, by route (events for POST /events, run for POST /runs/:id/events)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({ name: 'cauce_rate_limited_total', help: 'Requests refused by the per-key rate limit', registers: [this.registry] });

  private readonly startedAt = Date.now();

  constructor() {
    const startedAt = this.startedAt;
    new Gauge({
      name: 'cauce_api_uptime_seconds',
      help: 'Seconds since this API process started',
      registers: [this.registry],
      // Read at scrape time, so the value is never stale.
      collect() {
        this.set((Date.now() - startedAt) / 1000);
      },
    });
    // The standard process and Node.js metrics (CPU, memory, event-loop lag, GC), read at scrape time.
    collectDefaultMetrics({ register: this.registry });
  }

  /** The exposition text, ending with a newline. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
