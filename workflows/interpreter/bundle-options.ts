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
 *
 * The interpreter and the workflows module are preloaded too (`workflowsPath`: the module the
 * bundle imports its workflows from): without it every run re-ran their module code (the nodes,
 * the contracts, the Temporal proxies), 1-2 ms of the workflow thread's CPU per one-turn
 * conversation in bench/floor.ts. They qualify: their module-level values are constants, activity
 * and sink proxies that find the running workflow when called (the SDK's `proxyActivities`,
 * `proxySinks`), and the work budget's counter, which is only read as a difference within one
 * synchronous step. Per-run state lives in the `Run` each workflow creates. A module that keeps
 * per-run state at module level must not be imported by workflow code: bundle-options.spec.ts
 * refuses module-level `let`/`var` outside the few shared caches named there.
 */
export function workflowBundlerOptions(workflowsPath?: string): { preloadModules: string[] } {
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
      // The interpreter itself (and the contracts it imports): see above.
      path.join(__dirname, 'flow-run.workflow'),
      ...(workflowsPath ? [workflowsPath] : []),
    ],
  };
}
