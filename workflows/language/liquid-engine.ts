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
import { WorkBudget } from './work-budget';

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

type RenderTemplates = (templates: unknown, ctx: object, emitter?: Emitter) => Generator<unknown, unknown, unknown>;
type Emitter = { buffer: string; write(html: unknown): void };
type FilterFn = (this: FilterThis, ...args: unknown[]) => unknown;
type OperatorFn = (...args: unknown[]) => unknown;

/**
 * Work one render may do, in units of about one list item or 32 characters touched by a filter,
 * an operator or the output (~0.3 µs). 200,000 units stay under ~100 ms at worst on the 2-core
 * development machine, and far above what a message template needs (a 1,000-item `where` costs
 * 17,000).
 */
export const TEMPLATE_WORK_LIMIT = 200_000;
/**
 * Filters that look a property up on every item cost ~5 µs an item in liquidjs (`where` over
 * 4,500 items: 136 ms), so each item counts this many units.
 */
const PER_ITEM_LOOKUP_WEIGHT = 16;
const PER_ITEM_LOOKUP_FILTERS = new Set([
  'where',
  'where_exp',
  'reject',
  'reject_exp',
  'find',
  'find_exp',
  'find_index',
  'find_index_exp',
  'has',
  'has_exp',
  'map',
  'sum',
  'sort',
  'sort_natural',
  'group_by',
  'group_by_exp',
  'uniq',
  'compact',
]);

/** A render's counters: blocks rendered (loop iterations, branches) and work done. */
class RenderBudget extends WorkBudget {
  steps = 0;
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length >> 5;
  if (Array.isArray(value)) return value.length;
  return 0;
}

const isIterator = (value: unknown): value is Iterator<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { next?: unknown }).next === 'function';

/**
 * Counts every render's steps and work, and stops runaway templates. liquidjs only offers a
 * wall-clock limit, which would make a workflow's output depend on machine speed; counted limits
 * fail the same template at the same point on every machine and on replay.
 */
function limitWork(liquid: Liquid): void {
  const budgets = new WeakMap<object, RenderBudget>();
  const budgetOf = (ctx: object): RenderBudget => {
    let budget = budgets.get(ctx);
    if (!budget) budgets.set(ctx, (budget = new RenderBudget(TEMPLATE_WORK_LIMIT, 'template')));
    return budget;
  };
  const metered = new WeakSet<object>();

  // Steps, and output: an emitter passed down is metered once; a block rendered on its own
  // (`capture`, the top level) is charged for the text it returns.
  const renderer = liquid.renderer as unknown as { renderTemplates: RenderTemplates };
  const original = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = function* (templates, ctx, emitter) {
    const budget = budgetOf(ctx);
    if (++budget.steps > TEMPLATE_STEP_LIMIT) throw new Error(`Template does too much work (over ${TEMPLATE_STEP_LIMIT} steps)`);
    if (emitter && !metered.has(emitter)) {
      metered.add(emitter);
      const write = emitter.write;
      emitter.write = function (this: Emitter, html: unknown) {
        const before = this.buffer.length;
        write.call(this, html);
        budget.charge(1 + ((this.buffer.length - before) >> 5));
      };
    }
    const out = yield* original(templates, ctx, emitter);
    if (!emitter) budget.charge(sizeOf(out));
    return out;
  };

  // Filters: charged for what goes in and what comes out (`where`, `split`, `join`, `sort`...).
  for (const [name, filter] of Object.entries(liquid.filters as Record<string, FilterFn>)) {
    if (typeof filter !== 'function') continue;
    const weight = PER_ITEM_LOOKUP_FILTERS.has(name) ? PER_ITEM_LOOKUP_WEIGHT : 1;
    liquid.filters[name] = function* (this: FilterThis, ...args: unknown[]) {
      const budget = budgetOf(this.context as object);
      budget.charge(1 + weight * sizeOf(args[0]));
      let result: unknown = filter.apply(this, args);
      if (isIterator(result)) result = (yield result) as unknown;
      budget.charge(sizeOf(result));
      return result;
    } as unknown as FilterFn;
  }

  // Operators (`contains`, `==` on lists) scan their operands.
  // The default operator table is shared by every Liquid instance: meter a copy of it.
  const operators: Record<string, OperatorFn> = { ...(liquid.options.operators as Record<string, OperatorFn>) };
  (liquid.options as { operators: unknown }).operators = operators;
  for (const [name, operator] of Object.entries(operators)) {
    operators[name] = function* (...args: unknown[]) {
      const ctx = args[args.length - 1];
      if (typeof ctx === 'object' && ctx !== null) budgetOf(ctx).charge(1 + sizeOf(args[0]) + (args.length > 2 ? sizeOf(args[1]) : 0));
      const result: unknown = operator(...args);
      return isIterator(result) ? ((yield result) as unknown) : result;
    } as unknown as OperatorFn;
  }
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
  limitWork(liquid);
  return liquid;
}

const engines: Partial<Record<Locale, Liquid>> = {};

/** One engine per locale (month and weekday names in `date`), created on first use. */
export function liquidEngine(locale: Locale = 'es'): Liquid {
  return (engines[locale] ??= createEngine(locale));
}
