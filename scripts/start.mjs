// `npm start`: build if needed, then run the launcher (embedded PostgreSQL + Temporal, worker, API, UI).
import { createRequire } from 'node:module';
import { ensureBuild } from './ensure-build.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Cauce needs Node.js 20.19 or newer (found ${process.versions.node}).`);
  process.exit(1);
}
ensureBuild();
createRequire(import.meta.url)('../dist/apps/launcher/main.js');
