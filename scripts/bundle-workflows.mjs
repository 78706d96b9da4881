// Bundles the compiled workflows once at build time, so the worker starts without webpack.
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Preloaded modules and the like, shared with the worker, the tests and the benchmarks.
const require = createRequire(import.meta.url);
const { workflowBundlerOptions } = require(path.join(root, 'dist/workflows/interpreter/bundle-options.js'));
const { quietBundlerLogger } = require(path.join(root, 'dist/libs/runtime/log.js'));
// The worker's list: workflows/ plus the upkeep workflows (apps/worker/workflows.ts).
const workflowsPath = path.join(root, 'dist/apps/worker/workflows.js');
const { code } = await bundleWorkflowCode({
  ...workflowBundlerOptions(workflowsPath),
  workflowsPath,
  logger: quietBundlerLogger,
});
await writeFile(path.join(root, 'dist/workflow-bundle.js'), code);
console.log(`[build] workflow bundle: ${(code.length / 1024).toFixed(0)} KiB`);
