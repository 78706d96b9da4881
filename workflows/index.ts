// The flow runtime's workflows (the worker registers the upkeep jobs' too: apps/worker/workflows.ts).
export { flowRunWorkflow } from './interpreter/flow-run.workflow';
