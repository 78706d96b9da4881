// Bundles the compiled workflows once at build time, so the worker starts without webpack.
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { code } = await bundleWorkflowCode({
  workflowsPath: path.join(root, 'dist/workflows/index.js'),
  logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
});
await writeFile(path.join(root, 'dist/workflow-bundle.js'), code);
console.log(`[build] workflow bundle: ${(code.length / 1024).toFixed(0)} KiB`);
