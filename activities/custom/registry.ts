import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { CustomActivityInput } from '../../contracts/activities';
import type { SecretResolver } from '../http/secrets';
import { CustomActivity, isCustomActivity, Localized } from './sdk';

/** Files in the custom folder that are not activities. */
const SKIP = /^(sdk|registry|index)\.(ts|js)$|\.(spec|itest)\.(ts|js)$|\.d\.ts$|\.map$/;

/**
 * Loads every custom activity in a folder (default: this one): each `.ts` (source) or `.js` (built)
 * file whose exports include a `defineActivity(...)`. Two activities with one name are an error.
 */
export function loadCustomActivities(dir: string = __dirname): CustomActivity[] {
  if (!fs.existsSync(dir)) return [];
  const found = new Map<string, { activity: CustomActivity; file: string }>();
  const files = fs.readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !SKIP.test(f));
  // In a built tree both x.ts and x.js never coexist; in source only .ts exists.
  for (const file of files.sort()) {
    const full = path.join(dir, file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(full) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (!isCustomActivity(value)) continue;
      const other = found.get(value.name);
      if (other && other.activity !== value) throw new Error(`Two custom activities are named "${value.name}": ${other.file} and ${file}`);
      found.set(value.name, { activity: value, file });
    }
  }
  return [...found.values()].map((f) => f.activity);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}

export interface CustomActivityDeps {
  pool: Pool;
  secrets: SecretResolver;
}

/** The Temporal activity functions, registered as `custom.<name>`, with input and output checked. */
export function customActivityImplementations(activities: CustomActivity[], deps: CustomActivityDeps) {
  const implementations: Record<string, (input: CustomActivityInput) => Promise<unknown>> = {};
  for (const activity of activities) {
    implementations[`custom.${activity.name}`] = async ({ ctx, input }: CustomActivityInput) => {
      const parsed = activity.input.safeParse(input);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(`Input of activity "${activity.name}" is invalid: ${describeIssues(parsed.error)}`, 'InvalidInput', {
          nodeId: ctx.nodeId,
        });
      }
      const output = await activity.run(parsed.data, {
        db: deps.pool,
        secret: async (name) => {
          const value = await deps.secrets.get(name);
          if (value === undefined)
            throw ApplicationFailure.nonRetryable(`Activity "${activity.name}" needs the secret "${name}", which is not stored`, 'MissingSecret');
          return value;
        },
        idempotencyKey: ctx.idempotencyKey,
        runId: ctx.runId,
        flowId: ctx.flowId,
        nodeId: ctx.nodeId,
        ...(ctx.customerId ? { customerId: ctx.customerId } : {}),
      });
      const checked = activity.output.safeParse(output);
      if (!checked.success) {
        throw ApplicationFailure.nonRetryable(
          `Activity "${activity.name}" returned an output that breaks its schema: ${describeIssues(checked.error)}`,
          'InvalidOutput',
        );
      }
      return checked.data;
    };
  }
  return implementations;
}

const localized = (text: Localized | undefined) => (typeof text === 'string' ? { es: text, en: text } : text);

/** The registry the validator and the palette read: JSON Schemas from the zod schemas. */
export function customActivityCatalog(activities: CustomActivity[]) {
  return Object.fromEntries(
    activities.map((a) => [
      a.name,
      {
        title: localized(a.title),
        ...(a.description ? { description: localized(a.description) } : {}),
        category: a.category ?? 'custom',
        inputSchema: z.toJSONSchema(a.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
        outputSchema: z.toJSONSchema(a.output, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>,
      },
    ]),
  );
}
