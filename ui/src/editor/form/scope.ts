/**
 * What rules and templates can read, for autocompletion: the scope roots of the flow language,
 * the flow's variables (declared, or written by its nodes), every path the flow already uses, the
 * CRM customer's fields, and each node's output.
 */
import { nodeWrites, ruleVariables, SCOPE_ROOTS, templateVariablePaths, type FlowDefinition } from '../../../../workflows/language';

export interface ScopeVariable {
  path: string;
  /** Where it comes from, shown beside the path. */
  hint: 'declared' | 'written' | 'used' | 'customer' | 'message' | 'run' | 'node' | 'root';
  detail?: string;
}

const FIXED: ScopeVariable[] = [
  { path: 'last.text', hint: 'message' },
  { path: 'last.channel', hint: 'message' },
  { path: 'last.at', hint: 'message' },
  { path: 'customer.id', hint: 'customer' },
  { path: 'customer.name', hint: 'customer' },
  { path: 'customer.email', hint: 'customer' },
  { path: 'customer.phone', hint: 'customer' },
  { path: 'customer.tags', hint: 'customer' },
  { path: 'customer.attributes', hint: 'customer' },
  { path: 'run.now', hint: 'run' },
  { path: 'run.id', hint: 'run' },
  { path: 'run.flowId', hint: 'run' },
  { path: 'run.version', hint: 'run' },
  { path: 'run.channel', hint: 'run' },
  { path: 'event.type', hint: 'run' },
  { path: 'event.data', hint: 'run' },
];

function walk(value: unknown, visit: (v: unknown) => void, depth = 0): void {
  if (depth > 8) return;
  visit(value);
  if (Array.isArray(value)) for (const v of value) walk(v, visit, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v, visit, depth + 1);
}

export function scopeVariables(flow: FlowDefinition, selfId?: string): ScopeVariable[] {
  const out = new Map<string, ScopeVariable>();
  const add = (v: ScopeVariable) => {
    if (!out.has(v.path)) out.set(v.path, v);
  };
  for (const d of flow.variables ?? []) if (d?.name) add({ path: `vars.${d.name}`, hint: 'declared', detail: d.description });
  for (const n of flow.nodes) for (const name of nodeWrites(n)) add({ path: `vars.${name}`, hint: 'written', detail: n.id });
  for (const n of flow.nodes) {
    walk(n.data, (v) => {
      if (typeof v === 'string' && v.includes('{')) {
        try {
          for (const p of templateVariablePaths(v)) add({ path: p, hint: 'used' });
        } catch {
          // a template being typed may not parse yet
        }
      } else if (v && typeof v === 'object' && !Array.isArray(v) && 'var' in v) {
        try {
          for (const p of ruleVariables(v)) add({ path: p, hint: 'used' });
        } catch {
          // ignore
        }
      }
    });
  }
  for (const f of FIXED) add(f);
  for (const n of flow.nodes)
    if (n.id !== selfId) add({ path: `nodes.${n.id}.output`, hint: 'node', detail: typeof n.data?.label === 'string' ? n.data.label : n.type });
  for (const root of SCOPE_ROOTS) add({ path: root, hint: 'root' });
  return [...out.values()].filter((v) => SCOPE_ROOTS.some((r) => v.path === r || v.path.startsWith(`${r}.`)));
}
