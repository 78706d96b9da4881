// The layering rule: a module imports only from the layers below its own, so a contract changes in
// one place and a library runs in any process without pulling in the API or the worker.
// The table mirrors test/layers.spec.ts (the test guards a fresh clone; this rule points at the line).
// A local rule, not `no-restricted-imports`: that rule matches the specifier text, and a relative
// specifier ("../../x") only names a layer once resolved against the importing file's folder.
import path from 'node:path';

const root = import.meta.dirname;

/** Bottom to top: each layer and what it may import besides packages and itself. */
export const LAYERS = [
  { layer: 'workflows/language', may: [] },
  { layer: 'contracts', may: ['workflows/language'] },
  { layer: 'libs', may: ['contracts', 'workflows/language'] },
  { layer: 'activities', may: ['libs', 'contracts', 'workflows/language'] },
  { layer: 'workflows', may: ['contracts', 'workflows/language'] },
  { layer: 'upkeep', may: ['activities', 'libs', 'contracts', 'workflows/language'] },
  { layer: 'apps', may: ['upkeep', 'activities', 'workflows', 'workflows/language', 'libs', 'contracts'] },
  { layer: 'ui', may: ['contracts', 'workflows/language'] },
];

/** The layer of a repository-relative path: the longest matching prefix (workflows/language before workflows). */
export function layerOf(file) {
  return LAYERS.map((l) => l.layer)
    .filter((l) => file === l || file.startsWith(`${l}/`))
    .sort((a, b) => b.length - a.length)[0];
}

const upwardImport = {
  meta: {
    type: 'problem',
    docs: { description: 'A module imports only from the layers below its own (see eslint.layers.mjs).' },
    messages: { upward: '{{from}} may import only {{may}}, not {{target}} ({{to}}).' },
    schema: [],
  },
  create(context) {
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = layerOf(file);
    if (from === undefined) return {};
    const may = LAYERS.find((l) => l.layer === from).may;
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), source.value));
      const to = layerOf(target);
      if (to === undefined || to === from || may.includes(to)) return;
      context.report({ node: source, messageId: 'upward', data: { from, may: may.join(', ') || 'packages', target, to } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      'CallExpression[callee.name="require"]': (node) => check(node.arguments[0]),
    };
  },
};

export const layerRules = [
  {
    files: ['{workflows,contracts,libs,activities,upkeep,apps,ui}/**/*.{ts,tsx,js,mjs,cjs}'],
    // Tests, fixtures and recorded histories may cross layers, as in test/layers.spec.ts.
    ignores: ['**/*.{spec,itest,faults}.{ts,tsx}', '**/*.d.ts', '**/__fixtures__/**', '**/__histories__/**', '**/test/**'],
    plugins: { cauce: { rules: { 'no-upward-import': upwardImport } } },
    rules: { 'cauce/no-upward-import': 'error' },
  },
];
