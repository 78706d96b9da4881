// The workflows the worker registers.
export { flowRunWorkflow } from './interpreter/flow-run.workflow';
export { alertCheckWorkflow } from './alerts/alert-check.workflow';
