#!/usr/bin/env node
// `npm run gen:api-types`: rewrites ui/src/api/schema.d.ts, the editor's API types, from the API's
// OpenAPI document. First it refreshes what the Swagger plugin infers from the DTOs
// (scripts/openapi-metadata.cjs), then it runs the check itself (test/ui-api-types.spec.ts) in write
// mode, so the file is generated from exactly the document the check compares against: the API's
// sources in Nest's preview mode (no database, no Temporal, no server).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (args, env = {}) => {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run([path.join(root, 'scripts/openapi-metadata.cjs')]);
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
run([jest, '--selectProjects', 'unit', '--', 'test/ui-api-types.spec.ts'], { CAUCE_WRITE_API_TYPES: '1' });
