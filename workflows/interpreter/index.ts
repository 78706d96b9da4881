export { flowRunWorkflow } from './flow-run.workflow';
export * from './definitions';
export type * from './types';
