import { ConfigError } from '../config/config';

/**
 * The rates and windows the KPIs are computed with. Defaults from the environment (documented in
 * README, "KPIs and experiments"); every KPI request may override them.
 */
export interface KpiRates {
  /** What one minute of a human agent costs (USD). `KPI_HUMAN_MINUTE_COST`, default 0.50 (30 USD/h). */
  humanMinuteCost: number;
  /** What a contact costs without automation (USD), the ROI baseline. `KPI_BASELINE_COST_PER_CONTACT`, default 5.00. */
  baselineCostPerContact: number;
  /** A new run of the same customer and flow within this many hours after a run ends breaks first-contact resolution. `KPI_FCR_WINDOW_HOURS`, default 72. */
  fcrWindowHours: number;
  /**
   * USD per 1,000 prompt (input) and completion (output) tokens. `KPI_PROMPT_TOKEN_COST`,
   * `KPI_COMPLETION_TOKEN_COST`; unset (null): the cost each AI activity reported (`usage.costUsd`).
   */
  promptTokenCost: number | null;
  completionTokenCost: number | null;
}

export interface KpiSettings extends KpiRates {
  /** Exposures each variant needs before an experiment may declare a winner. `KPI_EXPERIMENT_MIN_SAMPLE`, default 100. */
  experimentMinSample: number;
  /** Significance level of the experiment tests. `KPI_EXPERIMENT_ALPHA`, default 0.05. */
  experimentAlpha: number;
  /** How often the alert rules are checked (a Temporal Schedule). `KPI_ALERT_CHECK_INTERVAL`, default `1m`; `off` disables the schedule. */
  alertCheckInterval: string | null;
  /** Recipient of alerts whose rule names none: `channel:recipient`, e.g. `email:ops@example.com`. `KPI_ALERT_NOTIFY`, default none (recorded, not sent). */
  alertDefaultNotify: { channel: AlertChannel; to: string } | null;
}

export type AlertChannel = 'email' | 'sms' | 'slack' | 'webhook' | 'whatsapp';
export const ALERT_CHANNELS: readonly AlertChannel[] = ['email', 'sms', 'slack', 'webhook', 'whatsapp'];

export const DEFAULT_KPI_SETTINGS: KpiSettings = {
  humanMinuteCost: 0.5,
  baselineCostPerContact: 5,
  fcrWindowHours: 72,
  promptTokenCost: null,
  completionTokenCost: null,
  experimentMinSample: 100,
  experimentAlpha: 0.05,
  alertCheckInterval: '1m',
  alertDefaultNotify: null,
};

type Env = Record<string, string | undefined>;

function num(env: Env, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER, exclusiveMin = false } = {}): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (exclusiveMin ? value <= min : value < min) || value > max) {
    throw new ConfigError(
      name,
      `must be a number ${exclusiveMin ? 'above' : 'at least'} ${min}${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ''}, got "${raw}"`,
    );
  }
  return value;
}

function optionalNum(env: Env, name: string): number | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return null;
  return num(env, name, 0);
}

/** A Temporal duration such as `30s`, `1m`, `5 minutes`, `1h`; or `off`. */
export const INTERVAL = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)$/i;

export function intervalMs(text: string): number {
  const m = INTERVAL.exec(text.trim());
  if (!m) throw new RangeError(`not a duration: ${text}`);
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit === 'ms') return n;
  if (unit.startsWith('s')) return n * 1000;
  if (unit.startsWith('m')) return n * 60_000;
  return n * 3_600_000;
}

/** The KPI settings from the environment; a bad value throws a ConfigError naming the variable. */
export function loadKpiSettings(env: Env = process.env): KpiSettings {
  const interval = env.KPI_ALERT_CHECK_INTERVAL?.trim();
  let alertCheckInterval: string | null = DEFAULT_KPI_SETTINGS.alertCheckInterval;
  if (interval) {
    if (/^(off|0|false|no|none)$/i.test(interval)) alertCheckInterval = null;
    else if (!INTERVAL.test(interval) || intervalMs(interval) < 1000) {
      throw new ConfigError('KPI_ALERT_CHECK_INTERVAL', `must be a duration of at least 1 s such as 30s, 1m, 5m, 1h, or off; got "${interval}"`);
    } else alertCheckInterval = interval;
  }
  let alertDefaultNotify: KpiSettings['alertDefaultNotify'] = null;
  const notify = env.KPI_ALERT_NOTIFY?.trim();
  if (notify) {
    const at = notify.indexOf(':');
    const channel = notify.slice(0, at) as AlertChannel;
    const to = notify.slice(at + 1).trim();
    if (at < 0 || !ALERT_CHANNELS.includes(channel) || !to) {
      throw new ConfigError(
        'KPI_ALERT_NOTIFY',
        `must be channel:recipient with a channel among ${ALERT_CHANNELS.join(', ')} (e.g. email:ops@example.com); got "${notify}"`,
      );
    }
    alertDefaultNotify = { channel, to };
  }
  return {
    humanMinuteCost: num(env, 'KPI_HUMAN_MINUTE_COST', DEFAULT_KPI_SETTINGS.humanMinuteCost),
    baselineCostPerContact: num(env, 'KPI_BASELINE_COST_PER_CONTACT', DEFAULT_KPI_SETTINGS.baselineCostPerContact),
    fcrWindowHours: num(env, 'KPI_FCR_WINDOW_HOURS', DEFAULT_KPI_SETTINGS.fcrWindowHours, { min: 0, max: 24 * 366, exclusiveMin: true }),
    promptTokenCost: optionalNum(env, 'KPI_PROMPT_TOKEN_COST'),
    completionTokenCost: optionalNum(env, 'KPI_COMPLETION_TOKEN_COST'),
    experimentMinSample: Math.round(num(env, 'KPI_EXPERIMENT_MIN_SAMPLE', DEFAULT_KPI_SETTINGS.experimentMinSample, { min: 1 })),
    experimentAlpha: num(env, 'KPI_EXPERIMENT_ALPHA', DEFAULT_KPI_SETTINGS.experimentAlpha, { min: 0, max: 0.5, exclusiveMin: true }),
    alertCheckInterval,
    alertDefaultNotify,
  };
}

/** The rates of the settings, with a request's overrides applied. */
export function resolveRates(settings: KpiRates, overrides: Partial<KpiRates> = {}): KpiRates {
  const pick = <K extends keyof KpiRates>(k: K): KpiRates[K] => (overrides[k] !== undefined ? overrides[k]! : settings[k]);
  return {
    humanMinuteCost: pick('humanMinuteCost'),
    baselineCostPerContact: pick('baselineCostPerContact'),
    fcrWindowHours: pick('fcrWindowHours'),
    promptTokenCost: pick('promptTokenCost'),
    completionTokenCost: pick('completionTokenCost'),
  };
}
