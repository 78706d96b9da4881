// Builds Cauce when the sources are newer than the last build, so `npm start` and `npm test`
// work on a fresh clone without a separate build step and stay fast when nothing changed.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = [
  'contracts',
  'apps',
  'libs',
  'workflows',
  'activities',
  'upkeep',
  'ui',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(p, e)));
  }
  return max;
}

export function ensureBuild({ force = false } = {}) {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const source = Math.max(...inputs.map((i) => newest(path.join(root, i))));
  if (!force && built >= source) return false;
  const t0 = Date.now();
  console.log(built ? '[build] sources changed: rebuilding Cauce...' : '[build] building Cauce (first start: about a minute)...');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, new Date().toISOString());
  console.log(`[build] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBuild({ force: process.argv.includes('--force') });
