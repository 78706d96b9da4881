// The upkeep jobs' workflows, registered by the worker beside the flow interpreter
// (apps/worker/workflows.ts, which scripts/bundle-workflows.mjs bundles). Workflow code only:
// each workflow imports its activities' types, never their implementation.
export { alertCheckWorkflow } from './alert-check/alert-check.workflow';
export { dispatchOutboxWorkflow } from './outbox-dispatch/dispatch-outbox.workflow';
export { reconcileRunsWorkflow } from './runs-reconciler/reconcile-runs.workflow';
