// `npm run test:faults`: build if needed, run the fault-injection suite (test/faults/*.faults.ts)
// against the built stack, print its report and one plain line, "faults: N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from '../../scripts/ensure-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const results = path.join(root, 'test-artifacts', 'faults-results.json');
const report = path.join(root, 'test-artifacts', 'faults-report.txt');
fs.mkdirSync(path.dirname(results), { recursive: true });
for (const f of [results, report]) fs.rmSync(f, { force: true });

ensureBuild();
const started = Date.now();
const args = [
  'jest',
  '-c',
  'test/faults/jest.config.js',
  '--runInBand',
  ...(process.env.CI ? ['--ci'] : []),
  '--json',
  `--outputFile=${results}`,
  ...process.argv.slice(2),
];
const result = spawnSync('npx', args, { stdio: 'inherit', cwd: root });
if (fs.existsSync(report)) console.log(`\n${fs.readFileSync(report, 'utf8').trimEnd()}`);
console.log(`suite time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  console.log(`\nfaults: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
} else {
  console.log('\nfaults: 0 passed, 1 failed');
}
process.exit(result.status ?? 1);
