import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from './registry';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The API's metrics, one registry per API process. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration: Histogram = this.registry.histogram(
    'cauce_http_request_duration_seconds',
    'HTTP request latency of the API, by method, route pattern and status code',
    ['method', 'route', 'status'],
    LATENCY_BUCKETS,
  );

  readonly runsStarted: Counter = this.registry.counter(
    'cauce_runs_started_total',
    'Runs started through the API, by trigger (api, event, test)',
    ['trigger'],
  );

  readonly chatTurnDuration: Histogram = this.registry.histogram(
    'cauce_chat_turn_duration_seconds',
    'Chat turn latency: a message posted to a run until its replies are returned, by result',
    ['result'],
    LATENCY_BUCKETS,
  );

  readonly eventsReceived: Counter = this.registry.counter(
    'cauce_events_received_total',
    'Business and agent events received, by route (events for POST /events, run for POST /runs/:id/events)',
    ['route'],
  );

  readonly rateLimited: Counter = this.registry.counter('cauce_rate_limited_total', 'Requests refused by the per-key rate limit');

  private readonly startedAt = Date.now();

  render(): string {
    const uptime = `# HELP cauce_api_uptime_seconds Seconds since this API process started\n# TYPE cauce_api_uptime_seconds gauge\ncauce_api_uptime_seconds ${(Date.now() - this.startedAt) / 1000}\n`;
    return this.registry.render() + uptime;
  }
}
