// The workflows the Cauce worker registers (its workflowsPath, and what scripts/bundle-workflows.mjs
// bundles): the flow interpreter and the alert check from workflows/, plus the platform's upkeep
// jobs, which live with their libraries and are not part of the flow runtime the UI and API import.
export * from '../../workflows';
export { reconcileRunsWorkflow } from '../../libs/runs-reconciler/reconcile-runs.workflow';
export { dispatchOutboxWorkflow } from '../../libs/outbox/dispatch-outbox.workflow';
