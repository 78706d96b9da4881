// `npm test`: build if needed (the end-to-end tests start the built stack), then Jest with any extra arguments.
import { spawnSync } from 'node:child_process';
import { ensureBuild } from './ensure-build.mjs';

ensureBuild();
const args = ['jest', ...(process.env.CI ? ['--ci'] : []), ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
