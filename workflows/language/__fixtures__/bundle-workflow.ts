/**
 * A tiny Temporal workflow that runs the flow language inside the workflow sandbox and reports the
 * result through a sink (sinks are how bundle.spec.ts observes a replayed workflow).
 */
import { proxySinks, type Sinks } from '@temporalio/workflow';
import { languageSmoke, type SmokeResult } from './language-smoke';

export interface SmokeSinks extends Sinks {
  smoke: { result(value: SmokeResult): void };
}

const { smoke } = proxySinks<SmokeSinks>();

export async function languageSmokeWorkflow(name: string): Promise<SmokeResult> {
  const result = languageSmoke(name);
  smoke.result(result);
  return result;
}
