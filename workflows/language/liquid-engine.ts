/**
 * The Liquid engine, configured for a sandbox: no file system (include/render/layout are removed and
 * `fs` throws), strict filters, UTC dates, no clock (`"now"` means `run.now`), no randomness
 * (`sample` is removed), and deterministic work limits instead of time limits.
 *
 * Bundlers (Temporal's webpack, Vite) pick liquidjs' browser build through its package.json `browser`
 * field, so no Node built-in is pulled in; in Node the regular build is used with the throwing `fs`.
 */
import { Liquid, type FS } from 'liquidjs';
import type { Locale } from './types';

/** Largest template source accepted (characters). */
export const MAX_TEMPLATE_SOURCE = 20_000;
/** Work limits per render (deterministic, unlike liquidjs' time-based `renderLimit`). */
export const TEMPLATE_MEMORY_LIMIT = 1_000_000;
/** Template blocks rendered per render call (each loop iteration and branch taken counts one). */
export const TEMPLATE_STEP_LIMIT = 10_000;

const noFileSystem = (): never => {
  throw new Error('Templates cannot read files');
};

const NO_FS: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => noFileSystem(),
  readFileSync: () => noFileSystem(),
  resolve: (_dir: string, file: string) => file,
  contains: async () => false,
  containsSync: () => false,
  sep: '/',
  dirname: () => '/',
};

const FILE_TAGS = ['include', 'render', 'layout', 'block'];
const NON_DETERMINISTIC_FILTERS = ['sample'];
const DATE_FILTERS = ['date', 'date_to_xmlschema', 'date_to_rfc822', 'date_to_string', 'date_to_long_string'];

type FilterThis = { context: { environments: unknown } };

/** Date filters read `"now"`/`"today"` as the scope's `run.now` instead of the machine clock. */
function pinNow(liquid: Liquid): void {
  for (const name of DATE_FILTERS) {
    const original = liquid.filters[name];
    if (typeof original !== 'function') continue;
    liquid.registerFilter(name, function (this: FilterThis, value: unknown, ...args: unknown[]) {
      if (value === 'now' || value === 'today') {
        const env = this.context.environments as { run?: { now?: unknown } } | undefined;
        const now = env?.run?.now;
        if (now === undefined || now === null) throw new Error('"now" needs run.now in the scope');
        value = typeof now === 'number' ? new Date(now).toISOString() : now;
      }
      return (original as (...a: unknown[]) => unknown).call(this, value, ...args);
    });
  }
}

type RenderTemplates = (templates: unknown, ctx: object, emitter?: unknown) => Generator<unknown, unknown, unknown>;

/**
 * Counts rendered blocks per render context and stops runaway loops. liquidjs only offers a
 * wall-clock limit, which would make a workflow's output depend on machine speed.
 */
function limitSteps(liquid: Liquid): void {
  const renderer = liquid.renderer as unknown as { renderTemplates: RenderTemplates };
  const original = renderer.renderTemplates.bind(renderer);
  const steps = new WeakMap<object, number>();
  renderer.renderTemplates = function* (templates, ctx, emitter) {
    const count = (steps.get(ctx) ?? 0) + 1;
    if (count > TEMPLATE_STEP_LIMIT) throw new Error(`Template does too much work (over ${TEMPLATE_STEP_LIMIT} steps)`);
    steps.set(ctx, count);
    return yield* original(templates, ctx, emitter);
  };
}

function createEngine(locale: Locale): Liquid {
  const liquid = new Liquid({
    fs: NO_FS,
    relativeReference: false,
    dynamicPartials: false,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    cache: false,
    timezoneOffset: 0,
    locale: locale === 'es' ? 'es-ES' : 'en-US',
    parseLimit: MAX_TEMPLATE_SOURCE,
    memoryLimit: TEMPLATE_MEMORY_LIMIT,
  });
  for (const tag of FILE_TAGS) delete liquid.tags[tag];
  for (const filter of NON_DETERMINISTIC_FILTERS) liquid.unregisterFilter(filter);
  pinNow(liquid);
  limitSteps(liquid);
  return liquid;
}

const engines: Partial<Record<Locale, Liquid>> = {};

/** One engine per locale (month and weekday names in `date`), created on first use. */
export function liquidEngine(locale: Locale = 'es'): Liquid {
  return (engines[locale] ??= createEngine(locale));
}
