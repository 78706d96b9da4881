// The editor's API types (ui/src/api/schema.d.ts) are generated from the OpenAPI document and
// committed, so building the editor needs no server. This fails when a DTO changed and nobody ran
// `npm run gen:api-types`: the document is built here from the sources (Nest's preview mode: no
// database, no Temporal, no port) and typed again. `npm run gen:api-types` runs this file with
// CAUCE_WRITE_API_TYPES=1, which writes the file instead of comparing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiDocument, createApiDocumentApp } from '../apps/api/app.factory';

const root = path.resolve(__dirname, '..');
const schemaFile = path.join(root, 'ui/src/api/schema.d.ts');

describe('ui/src/api/schema.d.ts', () => {
  let generated: string;

  // Loading every module of the API, then typing its 40-odd routes in a child process, takes a few
  // seconds, more on a loaded machine.
  beforeAll(async () => {
    const app = await createApiDocumentApp();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cauce-api-types-'));
    try {
      const documentFile = path.join(dir, 'openapi.json');
      fs.writeFileSync(documentFile, JSON.stringify(apiDocument(app)));
      // openapi-typescript's ESM-only dependencies load in Node, not in Jest's module loader.
      generated = execFileSync(process.execPath, [path.join(root, 'scripts/api-types-from-document.mjs'), documentFile], { encoding: 'utf8' });
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('is what `npm run gen:api-types` makes of the current DTOs', () => {
    if (process.env.CAUCE_WRITE_API_TYPES === '1') {
      fs.writeFileSync(schemaFile, generated);
      return;
    }
    const committed = fs.readFileSync(schemaFile, 'utf8');
    if (committed === generated) return;
    const [was, now] = [committed.split('\n'), generated.split('\n')];
    const at = was.findIndex((line, i) => line !== now[i]);
    throw new Error(
      `ui/src/api/schema.d.ts is stale (line ${at + 1} would be ${JSON.stringify(now[at])}, is ${JSON.stringify(was[at])}): run \`npm run gen:api-types\``,
    );
  });

  it('types the routes the editor calls', () => {
    for (const route of ['/api/flows/{id}', '/api/runs/{runId}', '/api/kpis', '/api/api-keys', '/api/me']) expect(generated).toContain(`"${route}": {`);
  });
});
