import fs from 'node:fs';
import path from 'node:path';

// The worker's workflow bundle takes every upkeep workflow (./workflows.ts). A workflow that imported
// its activity's implementation would pull pg, the KPI SQL or the providers into the bundle, where
// they cannot run; the layer rule allows upkeep/ to import them, so this test guards the bundle.
const folders = ['alert-check', 'outbox-dispatch', 'runs-reconciler'];

function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({ spec: m[3], typeOnly: !!m[2] }));
}

describe('upkeep workflows', () => {
  it('each job folder has one workflow, listed in upkeep/workflows.ts', () => {
    const listed = importsOf(path.join(__dirname, 'workflows.ts')).map((i) => i.spec);
    for (const folder of folders) {
      const workflows = fs.readdirSync(path.join(__dirname, folder)).filter((f) => f.endsWith('.workflow.ts'));
      expect(workflows).toHaveLength(1);
      expect(listed).toContain(`./${folder}/${workflows[0].replace(/\.ts$/, '')}`);
    }
  });

  it('import the workflow SDK and their types only (./types), never an implementation', () => {
    for (const folder of folders) {
      const dir = path.join(__dirname, folder);
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.workflow.ts'))) {
        const imports = importsOf(path.join(dir, file));
        expect(imports.length).toBeGreaterThan(0);
        for (const { spec, typeOnly } of imports) {
          expect([`${folder}/${file}: ${spec}`, spec === '@temporalio/workflow' || (spec === './types' && typeOnly)]).toEqual([
            `${folder}/${file}: ${spec}`,
            true,
          ]);
        }
      }
    }
  });
});
