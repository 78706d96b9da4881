// The workflows the worker registers.
export { flowRunWorkflow } from './interpreter/flow-run.workflow';
