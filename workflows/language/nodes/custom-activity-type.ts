/**
 * The `activity:<name>` node types of custom activities, without their zod schema: the interpreter
 * reads these to find a handler, and a workflow must not initialize zod (see interpreter/run.ts).
 */
export const CUSTOM_ACTIVITY_PREFIX = 'activity:';
export const CUSTOM_ACTIVITY_BRANCHES = ['ok', 'error'] as const;

export function isCustomActivityType(type: string): boolean {
  return typeof type === 'string' && type.startsWith(CUSTOM_ACTIVITY_PREFIX) && type.length > CUSTOM_ACTIVITY_PREFIX.length;
}

export function customActivityName(type: string): string {
  return type.slice(CUSTOM_ACTIVITY_PREFIX.length);
}
