/** Accumulates problems with their bilingual messages. */
import { problemSeverity, problemText, type MessageParams, type ProblemCode } from '../messages';
import type { FlowProblem, Locale, ValidationResult } from '../types';

export interface ProblemLocation {
  nodeId?: string;
  edgeId?: string;
  field?: string;
  branch?: string;
  nodeIds?: string[];
}

export class ProblemCollector {
  private readonly problems: FlowProblem[] = [];

  constructor(private readonly locale: Locale) {}

  add(code: ProblemCode, params: MessageParams, location: ProblemLocation = {}): void {
    const messages = problemText(code, params);
    const problem: FlowProblem = { code, severity: problemSeverity(code), message: messages[this.locale], messages };
    for (const key of ['nodeId', 'edgeId', 'field', 'branch'] as const) {
      const value = location[key];
      if (value !== undefined && value !== '') problem[key] = value;
    }
    if (location.nodeIds?.length) problem.nodeIds = [...location.nodeIds];
    this.problems.push(problem);
  }

  result(): ValidationResult {
    const errors = this.problems.filter((p) => p.severity === 'error');
    const warnings = this.problems.filter((p) => p.severity === 'warning');
    return { valid: errors.length === 0, errors, warnings };
  }
}
