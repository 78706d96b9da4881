/// <reference lib="webworker" />
/** Validates flows off the main thread, so typing in a 300-node flow never waits for the validator. */
import { validateFlow, type FlowDefinition, type ValidateOptions } from '../../../workflows/language';

interface Request {
  id: number;
  flow: FlowDefinition;
  options: ValidateOptions;
}

self.onmessage = (event: MessageEvent<Request>) => {
  const { id, flow, options } = event.data;
  const started = performance.now();
  const result = validateFlow(flow, options);
  (self as unknown as Worker).postMessage({ id, result, ms: performance.now() - started });
};
