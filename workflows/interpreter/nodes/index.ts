import { ask, csat, message } from './conversation';
import { escalate } from './escalate';
import { waitForEvent } from './events';
import { aiClassify, aiReply, aiSentiment, crmLookup, crmTicket, crmUpdate, custom, http, notify, scoreChurn } from './integrations';
import { abSplit, condition, delay, end, goal, personalize, setVariables, start, switchNode } from './logic';
import { subflow } from './subflow';
import type { NodeHandler } from './types';

/** One handler per node type of the catalog. */
const HANDLERS: Record<string, NodeHandler> = {
  start,
  message,
  ask,
  condition,
  switch: switchNode,
  delay,
  waitForEvent,
  setVariables,
  abSplit,
  goal,
  'ai.classify': aiClassify,
  'ai.sentiment': aiSentiment,
  'ai.reply': aiReply,
  escalate,
  'crm.lookup': crmLookup,
  'crm.update': crmUpdate,
  'crm.ticket': crmTicket,
  notify,
  http,
  personalize,
  'score.churn': scoreChurn,
  csat,
  subflow,
  end,
};

/**
 * `activity:<name>`, as `isCustomActivityType` in the language says; repeated here because that
 * module defines zod schemas, which every new workflow would initialize (the catalog is not needed here).
 */
const CUSTOM_ACTIVITY_PREFIX = 'activity:';
const isCustomActivityType = (type: string) => typeof type === 'string' && type.startsWith(CUSTOM_ACTIVITY_PREFIX) && type.length > CUSTOM_ACTIVITY_PREFIX.length;

export function handlerFor(type: string): NodeHandler | undefined {
  return HANDLERS[type] ?? (isCustomActivityType(type) ? custom : undefined);
}

export const HANDLED_NODE_TYPES = Object.keys(HANDLERS);
export type { NodeHandler, NodeResult } from './types';
