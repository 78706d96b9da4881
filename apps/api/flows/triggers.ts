import type { FlowDefinition } from '../../../workflows/language';

export interface StartTrigger {
  nodeId: string;
  trigger: 'api' | 'event' | 'schedule' | 'message';
  event?: string;
  cron?: string;
  allowConcurrent: boolean;
  channel?: 'chat' | 'email' | 'sms' | 'whatsapp';
}

/** The start node's trigger settings, read defensively from any stored definition. */
export function startTrigger(definition: FlowDefinition | unknown): StartTrigger | null {
  const nodes = (definition as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) return null;
  const start = nodes.find((n) => (n as { type?: unknown })?.type === 'start') as { id?: unknown; data?: Record<string, unknown> } | undefined;
  if (!start) return null;
  const data = start.data ?? {};
  const trigger = ['api', 'event', 'schedule', 'message'].includes(data.trigger as string) ? (data.trigger as StartTrigger['trigger']) : 'api';
  return {
    nodeId: String(start.id ?? 'start'),
    trigger,
    ...(typeof data.event === 'string' ? { event: data.event } : {}),
    ...(typeof data.cron === 'string' ? { cron: data.cron } : {}),
    allowConcurrent: data.allowConcurrent === true,
    ...(['chat', 'email', 'sms', 'whatsapp'].includes(data.channel as string) ? { channel: data.channel as StartTrigger['channel'] } : {}),
  };
}
