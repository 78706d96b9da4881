import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Workflow code is preloaded once per worker thread and shared by every run (bundle-options.ts), so
 * a module-level variable would carry one run's state into another. Only these hold shared state,
 * each safe for its own reason (said where it is declared).
 */
const SHARED_STATE = new Set(['workflows/language/rule-operations.ts', 'workflows/language/work-budget.ts']);

const root = path.resolve(__dirname, '../..');
const workflowCode = ['workflows', 'contracts', 'upkeep'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__fixtures__' || e.name === '__histories__' ? [] : sources(full);
    return /\.ts$/.test(e.name) && !/\.(spec|itest)\.ts$/.test(e.name) ? [full] : [];
  });
}

describe('preloaded workflow code', () => {
  it('keeps no run state at module level (no top-level let or var)', () => {
    const files = workflowCode.flatMap((d) => sources(path.join(root, d)));
    // upkeep/ holds activities too; only its workflow modules run in the sandbox.
    const sandboxed = files.filter((f) => !f.includes(`${path.sep}upkeep${path.sep}`) || /workflows?\.ts$|\.workflow\.ts$/.test(f));
    expect(sandboxed.length).toBeGreaterThan(50);
    const offenders = sandboxed
      .map((f) => path.relative(root, f).split(path.sep).join('/'))
      .filter((rel) => !SHARED_STATE.has(rel))
      .filter((rel) => /^(export )?(let|var) /m.test(fs.readFileSync(path.join(root, rel), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
