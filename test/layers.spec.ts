import fs from 'node:fs';
import path from 'node:path';

/**
 * The layers, bottom to top, and what each may import (besides packages and itself). A module
 * imports only from below, so a contract changes in one place and a library can be used by any
 * process without pulling in the API or the worker. Tests, benchmarks and scripts may cross layers.
 */
const LAYERS: { layer: string; may: string[] }[] = [
  { layer: 'workflows/language', may: [] },
  { layer: 'contracts', may: ['workflows/language'] },
  { layer: 'libs', may: ['contracts', 'workflows/language'] },
  { layer: 'activities', may: ['libs', 'contracts', 'workflows/language'] },
  { layer: 'workflows', may: ['contracts', 'workflows/language'] },
  { layer: 'upkeep', may: ['activities', 'libs', 'contracts', 'workflows/language'] },
  { layer: 'apps', may: ['upkeep', 'activities', 'workflows', 'workflows/language', 'libs', 'contracts'] },
  { layer: 'ui', may: ['contracts', 'workflows/language'] },
];

const root = path.resolve(__dirname, '..');
const SKIP = /\.(spec|itest|faults)\.tsx?$|\.d\.ts$|__fixtures__|__histories__/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'test') out.push(...sources(rel));
    } else if (/\.tsx?$/.test(entry.name) && !SKIP.test(entry.name)) out.push(rel);
  }
  return out;
}

/** The layer a repository path belongs to: the longest matching prefix (workflows/language before workflows). */
function layerOf(file: string): string | undefined {
  return LAYERS.map((l) => l.layer)
    .filter((l) => file === l || file.startsWith(`${l}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/** Relative imports, type-only ones included: `import`, `export ... from`, `import()` and `require()`. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]);
  return specs.map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

function upwardImports(): string[] {
  const found: string[] = [];
  for (const { layer, may } of LAYERS) {
    for (const file of sources(layer)) {
      if (layerOf(file) !== layer) continue; // workflows/language files are checked as their own layer
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to === undefined || to === layer || may.includes(to)) continue;
        found.push(`${file} imports ${target} (${layer} may import only ${may.join(', ') || 'packages'})`);
      }
    }
  }
  return found;
}

describe('layers', () => {
  it('no module imports from a layer above its own', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('sees the imports it checks (a scan that found nothing would pass everything)', () => {
    expect(importsOf('workflows/interpreter/run-flow.ts')).toContain('contracts/run-wire');
    expect(sources('libs').length).toBeGreaterThan(20);
    expect(importsOf('upkeep/alert-check/check.ts')).toContain('libs/kpis/alerts');
    expect(layerOf('workflows/language/catalog.ts')).toBe('workflows/language');
    expect(layerOf('workflows/interpreter/run.ts')).toBe('workflows');
  });
});
