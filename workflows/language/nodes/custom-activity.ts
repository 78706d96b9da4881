/** Custom activities (`activity:<name>`) are registered by developers, not part of the static catalog. */
import { z } from 'zod';
import { baseFields } from './fields';

export const CUSTOM_ACTIVITY_PREFIX = 'activity:';
export const CUSTOM_ACTIVITY_BRANCHES = ['ok', 'error'] as const;

export const customActivityDataSchema = z.object({
  ...baseFields,
  input: z.record(z.string(), z.unknown()).describe('Activity input; string values are Liquid templates'),
});
export type CustomActivityData = z.infer<typeof customActivityDataSchema>;

export function isCustomActivityType(type: string): boolean {
  return typeof type === 'string' && type.startsWith(CUSTOM_ACTIVITY_PREFIX) && type.length > CUSTOM_ACTIVITY_PREFIX.length;
}

export function customActivityName(type: string): string {
  return type.slice(CUSTOM_ACTIVITY_PREFIX.length);
}
