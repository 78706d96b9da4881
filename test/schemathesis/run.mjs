#!/usr/bin/env node
// Schemathesis against the real stack: every operation of /api/openapi.json is called with generated
// valid and invalid requests, and every response must be a non-5xx that matches the document.
//
//   node test/schemathesis/run.mjs [--max-examples N] [--keep] [-- extra schemathesis arguments]
//
// It installs the pinned schemathesis into a cached venv (~/.cache/cauce/schemathesis-<version>),
// starts the built launcher (dist/, as `npm start` does) on a free port with a throwaway data folder,
// runs `st run --checks all` with the admin key, prints a summary and exits 1 on any failure.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const VERSION = '4.32.5';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const launcher = path.join(root, 'dist/apps/launcher/main.js');
const cacheDir = process.env.CAUCE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'cauce');
const venv = path.join(cacheDir, `schemathesis-${VERSION}`);
const st = path.join(venv, 'bin', 'st');

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const extra = dash >= 0 ? argv.slice(dash + 1) : [];
const option = (name, fallback) => (own.includes(`--${name}`) ? own[own.indexOf(`--${name}`) + 1] : fallback);
const maxExamples = Number(option('max-examples', '25'));
const keep = own.includes('--keep');

function log(line) {
  console.log(`[schemathesis] ${line}`);
}

function ensureSchemathesis() {
  if (fs.existsSync(st)) return;
  log(`installing schemathesis ${VERSION} into ${venv}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const python = process.env.PYTHON ?? 'python3';
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${VERSION}`], { stdio: 'inherit' });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startStack(dataDir, port, adminKey) {
  let output = '';
  const child = spawn(process.execPath, [launcher], {
    env: {
      ...process.env,
      PORT: String(port),
      CAUCE_DATA_DIR: dataDir,
      CAUCE_ADMIN_KEY: adminKey,
      // Schemathesis sends bursts from one key; the limiter is tested elsewhere.
      CAUCE_RATE_LIMIT: '100000',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Cauce is running')) {
    if (child.exitCode !== null) throw new Error(`the launcher exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the launcher did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output };
}

function stopStack(stack) {
  if (stack.child.exitCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => stack.child.on('exit', resolve));
  stack.child.kill('SIGINT');
  const force = setTimeout(() => stack.child.kill('SIGKILL'), 30_000);
  return exited.finally(() => clearTimeout(force));
}

function runSchemathesis(url, adminKey, reportDir) {
  const args = [
    '--config-file',
    path.join(root, 'test/schemathesis/schemathesis.toml'),
    'run',
    url,
    // Every check: schemathesis enables them all unless told otherwise, and a `--checks` option here
    // would override the per-operation settings of schemathesis.toml.
    '--header',
    `Authorization: Bearer ${adminKey}`,
    '--max-examples',
    String(maxExamples),
    // Reproducible: the same cases on every CI run, so a failure is not a matter of luck.
    '--seed',
    option('seed', '1'),
    // One worker: with two, hypothesis (Python 3.11) sometimes fails with "AST constructor recursion
    // depth mismatch" while describing strategies in parallel threads, a tool error, not an API one.
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--report',
    'junit,ndjson',
    '--report-dir',
    reportDir,
    '--no-color',
    '--generation-database',
    'none',
    ...extra,
  ];
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(st, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
    let pending = ''; // a line cut between two chunks is rewritten whole
    child.stdout.on('data', (c) => {
      output += c;
      const text = pending + String(c);
      const cut = text.lastIndexOf('\n') + 1;
      pending = text.slice(cut);
      process.stdout.write(unbar(text.slice(0, cut)));
    });
    child.stdout.on('end', () => process.stdout.write(unbar(pending)));
    child.stderr.on('data', (c) => {
      output += c;
      process.stderr.write(c);
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

// Schemathesis closes with pytest's banner ("==== 3 warnings in 45.98s ===="); CI reads a line of that
// shape as pytest saying it ran no test, so the bars are dropped and the count comes from our own line.
function unbar(text) {
  return text.replace(/^=+ (.+?) =+$/gm, '[schemathesis] $1');
}

// Operations checked and failed, from the newest JUnit report schemathesis wrote.
function junitCounts(reportDir) {
  const reports = fs
    .readdirSync(reportDir)
    .filter((f) => /^junit.*\.xml$/.test(f))
    .sort();
  if (reports.length === 0) return undefined;
  const xml = fs.readFileSync(path.join(reportDir, reports[reports.length - 1]), 'utf8');
  const head = /<testsuites[^>]*>/.exec(xml)?.[0] ?? '';
  const attr = (name) => Number(new RegExp(`${name}="(\\d+)"`).exec(head)?.[1] ?? 0);
  return { tests: attr('tests'), failed: attr('failures') + attr('errors') };
}

async function main() {
  if (!fs.existsSync(launcher)) throw new Error('dist/ is missing: run `npm run build:server` first');
  const started = Date.now();
  ensureSchemathesis();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-schemathesis-'));
  const reportDir = path.join(root, 'test-artifacts', 'schemathesis');
  // Only this run's reports, so the counts printed at the end are this run's.
  fs.rmSync(reportDir, { recursive: true, force: true });
  fs.mkdirSync(reportDir, { recursive: true });
  const port = await freePort();
  const adminKey = `st_${randomBytes(24).toString('base64url')}`;
  const stack = await startStack(dataDir, port, adminKey);
  log(`stack ready on port ${port} in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${dataDir})`);
  let result;
  try {
    result = await runSchemathesis(`http://127.0.0.1:${port}/api/openapi.json`, adminKey, reportDir);
  } finally {
    await stopStack(stack);
    // The stack's own log explains a 5xx that the schemathesis report only shows from outside.
    fs.writeFileSync(path.join(reportDir, 'stack.log'), stack.output());
    if (keep) log(`kept ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(reportDir, 'output.txt'), result.output);
  const counts = junitCounts(reportDir);
  if (counts) console.log(`\nschemathesis: ${counts.tests - counts.failed} passed, ${counts.failed} failed`);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.code !== 0) {
    log(`FAILED (schemathesis exit ${result.code}) in ${seconds} s; the output is in test-artifacts/schemathesis/`);
    process.exit(1);
  }
  log(`passed: 0 server errors, 0 schema violations, in ${seconds} s`);
}

main().catch((err) => {
  console.error(`[schemathesis] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
