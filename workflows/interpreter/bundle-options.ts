import * as path from 'node:path';

/**
 * Options of the worker's workflow bundle, shared by everything that bundles it (the build's
 * scripts/bundle-workflows.mjs, a worker started without a prebuilt bundle, the tests and the
 * benchmarks). Node-side only: workflow code never imports this file.
 *
 * Temporal's reusable workflow context runs the bundle's modules once per workflow, so each new run
 * would initialize the template engine and the rule engine and parse its templates again. Preloaded
 * modules are initialized once per worker thread and shared by every workflow, then frozen by the
 * SDK; only pure, deterministic modules without per-run state belong here. The template parse
 * cache (workflows/language/templates.ts) is shared then, which is safe: a parse depends on the
 * source alone. `sandbox` sets up the shared context itself (see there).
 */
export function workflowBundlerOptions(): { preloadModules: string[] } {
  const language = path.resolve(__dirname, '../language');
  return {
    preloadModules: [
      path.join(__dirname, 'sandbox'),
      'liquidjs',
      'json-logic-js',
      path.join(language, 'liquid-engine'),
      path.join(language, 'templates'),
      path.join(language, 'rule-operations'),
      path.join(language, 'rules'),
    ],
  };
}
