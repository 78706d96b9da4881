// The benchmark's worker registers the interpreter and the hand-written equivalent side by side.
export { flowRunV2, flowRunWorkflow } from '../workflows/interpreter/flow-run.workflow';
export { handWrittenChatWorkflow } from './hand-written.workflow';
