import { randomUUID } from 'node:crypto';

/** The servers started by test/global-setup.ts, for integration tests. */
export function testInfra(): { databaseUrl: string; temporalAddress: string; temporalCli: string } {
  const databaseUrl = process.env.CAUCE_TEST_DATABASE_URL;
  const temporalAddress = process.env.CAUCE_TEST_TEMPORAL_ADDRESS;
  const temporalCli = process.env.TEMPORAL_CLI;
  if (!databaseUrl || !temporalAddress || !temporalCli) {
    throw new Error('integration tests need test/global-setup.ts: run them with `npm test` or `npx jest --selectProjects integration`');
  }
  return { databaseUrl, temporalAddress, temporalCli };
}

/** A unique id so tests never collide on workflow ids or task queues. */
export const uniqueId = (prefix: string) => `${prefix}-${randomUUID()}`;
