/** Custom activities (`activity:<name>`) are registered by developers, not part of the static catalog. */
import { z } from 'zod';
import { baseFields } from './fields';

export { CUSTOM_ACTIVITY_BRANCHES, CUSTOM_ACTIVITY_PREFIX, customActivityName, isCustomActivityType } from './custom-activity-type';

export const customActivityDataSchema = z.object({
  ...baseFields,
  input: z.record(z.string(), z.unknown()).describe('Activity input; string values are Liquid templates'),
});
export type CustomActivityData = z.infer<typeof customActivityDataSchema>;
