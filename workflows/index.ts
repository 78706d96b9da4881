// The flow runtime's workflows (the worker registers the upkeep jobs' too: apps/worker/workflows.ts).
export { flowRunV2, flowRunWorkflow } from './interpreter/flow-run.workflow';
