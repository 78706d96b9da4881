import * as fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as Record<string, unknown>).__cauceTestInfra as
    { postgres: { stop(): Promise<void> }; temporal: { stop(): Promise<void> }; root: string } | undefined;
  if (!infra) return;
  await Promise.all([infra.temporal.stop(), infra.postgres.stop()]);
  fs.rmSync(infra.root, { recursive: true, force: true });
}
