/** Exercises the public API; run both in plain Node and inside the Temporal workflow sandbox. */
import { catalogForPalette, evaluateCondition, nodeJsonSchema, parseDuration, parseNodeData, renderTemplate, supportTriage, validateFlow } from '../index';

export interface SmokeResult {
  text: string;
  vip: boolean;
  daysSince: boolean;
  valid: boolean;
  invalidCodes: string[];
  durationMs: number;
  paletteSize: number;
  schemaType: unknown;
  parsed: boolean;
}

export function languageSmoke(name: string): SmokeResult {
  const scope = { customer: { name, tier: 'vip', since: '2024-04-01' }, run: { now: '2024-05-01T10:00:00Z' } };
  const broken = { ...supportTriage, nodes: supportTriage.nodes.filter((n) => n.id !== 'greet') };
  return {
    text: renderTemplate('Hola {{ customer.name | upcase }}, {{ "now" | date: "%Y" }}', scope),
    vip: evaluateCondition({ in_list: [{ var: 'customer.tier' }, ['VIP', 'gold']] }, scope),
    daysSince: evaluateCondition({ '>=': [{ days_since: [{ var: 'customer.since' }] }, 30] }, scope),
    valid: validateFlow(supportTriage).valid,
    invalidCodes: [...new Set(validateFlow(broken).errors.map((e) => e.code))].sort(),
    durationMs: parseDuration('1h30m'),
    paletteSize: catalogForPalette('en').length,
    schemaType: nodeJsonSchema('escalate')?.type,
    parsed: parseNodeData('ai.reply', {}).success,
  };
}
