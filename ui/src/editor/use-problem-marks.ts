/**
 * The client-side validation's problems, as a list for the problems panel and as marks on their
 * nodes (through the canvas signals, so only the nodes whose marks change re-render). The first
 * result after opening is measured as `cauce:open-validated`.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { FlowProblem, ValidationResult } from '../../../workflows/language';
import { measure } from '../perf';
import type { CanvasSignals, ProblemMark } from './signals';

export function problemMarks(problems: FlowProblem[]): Map<string, ProblemMark> {
  const marks = new Map<string, ProblemMark>();
  for (const p of problems) {
    for (const id of p.nodeId ? [p.nodeId] : (p.nodeIds ?? [])) {
      const m = marks.get(id) ?? { errors: 0, warnings: 0, messages: [] };
      if (p.severity === 'error') m.errors++;
      else m.warnings++;
      m.messages.push(p.message);
      marks.set(id, m);
    }
  }
  return marks;
}

/** Errors then warnings; null until the first validation has run. */
export function useProblemMarks(
  validation: ValidationResult | null,
  signals: CanvasSignals,
  opened: { at: number; nodes: () => number },
): FlowProblem[] | null {
  const problems = useMemo(() => (validation ? [...validation.errors, ...validation.warnings] : null), [validation]);
  const firstValidation = useRef(true);
  useEffect(() => {
    if (!problems) return;
    if (firstValidation.current) {
      firstValidation.current = false;
      measure('cauce:open-validated', opened.at, { nodes: opened.nodes() });
    }
    signals.setProblems(problemMarks(problems));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [problems, signals]);
  return problems;
}
