import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The engine's floor: the thinnest Temporal workflow with the shape of a Cauce conversation, the
 * yardstick of bench/floor.ts. Started with update-with-start whose `opening` Update answers the
 * two opening messages once the workflow waits; each `message` Update answers one reply once the
 * workflow has handled it; after the last turn the reply returns only once the workflow has decided
 * to complete, as Cauce's last turn does. No activities, timers, search attributes, patches or
 * memo: whatever Cauce spends beyond this is Cauce's own cost.
 */
export const floorOpeningUpdate = defineUpdate<string[]>('opening');
export const floorMessageUpdate = defineUpdate<string, [string]>('message');

export interface FloorConversationInput {
  /** Customer messages before the workflow completes: 1 for a one-turn conversation. */
  turns: number;
}

export const FLOOR_OPENING = ['Hola, soy el asistente.', '¿En qué puedo ayudarte?'];

export async function floorConversationWorkflow(input: FloorConversationInput): Promise<string> {
  const inbox: string[] = [];
  // True while the workflow waits for the customer (or has finished): what it said can be returned.
  let waiting = false;
  let reply = '';
  setHandler(floorOpeningUpdate, async () => {
    await condition(() => waiting);
    return FLOOR_OPENING;
  });
  setHandler(floorMessageUpdate, async (text) => {
    inbox.push(text);
    await condition(() => waiting && inbox.length === 0);
    return reply;
  });
  for (let turn = 0; turn < input.turns; turn++) {
    waiting = true;
    await condition(() => inbox.length > 0);
    waiting = false;
    reply = `Gracias, "${inbox.shift()!.slice(0, 20)}" queda anotado.`;
  }
  // Decided to complete: the last turn's Update returns now, in the same workflow task as the completion.
  waiting = true;
  await condition(allHandlersFinished);
  return reply;
}
