// Finds or installs the Temporal CLI the embedded dev server needs (see README: "The Temporal CLI").
import { createRequire } from 'node:module';
import { ensureBuild } from './ensure-build.mjs';

ensureBuild();
const require = createRequire(import.meta.url);
const { resolveTemporalCli } = require('../dist/libs/runtime/temporal-cli.js');
const { consoleLogger } = require('../dist/libs/runtime/log.js');
try {
  const cli = await resolveTemporalCli({ logger: consoleLogger('temporal') });
  console.log(`[temporal] CLI: ${cli.path} (${cli.source})`);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
