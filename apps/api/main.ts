import 'reflect-metadata';
import { loadConfig } from '../../libs/config/config';
import { createApiApp } from './app.factory';
import { leaveSigintToLauncher, stopGracefullyOnSignals } from './health/graceful-stop';

async function main(): Promise<void> {
  leaveSigintToLauncher();
  const config = loadConfig();
  const app = await createApiApp();
  await app.listen(config.port, process.env.HOST ?? '127.0.0.1');
  console.log(`[api] listening on http://${process.env.HOST ?? '127.0.0.1'}:${config.port}`);
  stopGracefullyOnSignals(app);
}

main().catch((err) => {
  console.error(`[api] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
