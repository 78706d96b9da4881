export { flowRunV2, flowRunWorkflow } from './flow-run.workflow';
export * from '../../contracts/run-wire';
export type * from '../../contracts/run';
