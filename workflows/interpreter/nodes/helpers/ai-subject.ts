import type { FlowNode } from '../../../language';
import type { Run } from '../../run';

/** The text an AI node reads: its template, or the customer's last message. */
export function subjectText(run: Run, node: FlowNode, template: string | undefined, field: string): string {
  return template !== undefined ? run.render(node, template, field) : (run.last?.text ?? '');
}
