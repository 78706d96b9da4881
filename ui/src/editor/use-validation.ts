/**
 * Client-side validation with the flow language's own `validateFlow`, instantly on every change:
 * in a Web Worker (latest request wins, never queued), or on the main thread where there is no
 * worker. Each run is recorded as the performance measure `cauce:validate`.
 */
import { useEffect, useRef, useState } from 'react';
import { validateFlow, type CustomActivityRegistry, type FlowDefinition, type Locale, type ValidationResult } from '../../../workflows/language';
import { measure } from '../perf';
import { createValidationWorker } from './workers';

interface Pending {
  flow: FlowDefinition;
  options: { locale: Locale; customActivities: CustomActivityRegistry };
}

export function useFlowValidation(flow: FlowDefinition | null, locale: Locale, customActivities: CustomActivityRegistry): ValidationResult | null {
  const [result, setResult] = useState<ValidationResult | null>(null);
  const worker = useRef<Worker | null | undefined>(undefined);
  const inFlight = useRef<{ id: number; started: number } | null>(null);
  const queued = useRef<Pending | null>(null);
  const seq = useRef(0);
  const lastRequested = useRef<Pending | null>(null);

  useEffect(() => {
    const w = createValidationWorker();
    worker.current = w;
    if (!w) return;
    w.onmessage = (event: MessageEvent<{ id: number; result: ValidationResult; ms: number }>) => {
      const current = inFlight.current;
      if (!current || event.data.id !== current.id) return;
      measure('cauce:validate', current.started, { workerMs: event.data.ms, nodes: lastRequested.current?.flow.nodes.length });
      inFlight.current = null;
      if (queued.current) {
        const next = queued.current;
        queued.current = null;
        send(next);
        // The result of an outdated flow is still shown meanwhile: better than nothing.
      }
      setResult(event.data.result);
    };
    w.onerror = () => {
      // A worker that cannot start (CSP, old browser): validate on the main thread from now on.
      w.terminate();
      worker.current = null;
      inFlight.current = null;
      queued.current = null;
      const last = lastRequested.current;
      if (last) setResult(validateFlow(last.flow, last.options));
    };
    // A request made before this worker existed (or to one already gone) goes to this one.
    inFlight.current = null;
    queued.current = null;
    if (lastRequested.current) send(lastRequested.current);
    return () => {
      w.terminate();
      worker.current = null;
      inFlight.current = null;
      queued.current = null;
    };
  }, []);

  function send(p: Pending) {
    const w = worker.current;
    if (!w) return;
    const id = ++seq.current;
    inFlight.current = { id, started: performance.now() };
    w.postMessage({ id, flow: p.flow, options: p.options });
  }

  useEffect(() => {
    if (!flow) return;
    const pending: Pending = { flow, options: { locale, customActivities } };
    lastRequested.current = pending;
    if (worker.current) {
      if (inFlight.current) queued.current = pending;
      else send(pending);
      return;
    }
    // No worker: validate on the main thread, after a short pause in typing.
    const id = setTimeout(() => {
      const started = performance.now();
      const r = validateFlow(pending.flow, pending.options);
      measure('cauce:validate', started, { nodes: pending.flow.nodes.length });
      setResult(r);
    }, 120);
    return () => clearTimeout(id);
  }, [flow, locale, customActivities]);

  return result;
}
