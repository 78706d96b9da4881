// `npm test`: build if needed (the end-to-end tests start the built stack), then Jest with any extra
// arguments, then one plain summary line ("tests: N passed, N failed") that CI reads.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './ensure-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-artifacts', 'jest-results.json');
fs.mkdirSync(path.dirname(results), { recursive: true });
fs.rmSync(results, { force: true });

ensureBuild();
const args = ['jest', ...(process.env.CI ? ['--ci'] : []), '--json', `--outputFile=${results}`, ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', cwd: root });
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
}
process.exit(result.status ?? 1);
