/**
 * What changed between two flow definitions, by id: nodes, edges and variables added, removed or
 * changed (and for nodes, which data fields). Positions are editor-only, so a node that only moved
 * is listed as `moved`, not `changed`. Pure; the input may be any stored draft.
 */
export interface ChangedItem {
  id: string;
  fields: string[];
}
export interface DiffSection {
  added: string[];
  removed: string[];
  changed: ChangedItem[];
}
export interface DefinitionDiff {
  identical: boolean;
  nodes: DiffSection & { moved: string[] };
  edges: DiffSection;
  variables: DiffSection;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}

function byKey(list: unknown, key: string): Map<string, Obj> {
  const map = new Map<string, Obj>();
  if (!Array.isArray(list)) return map;
  for (const item of list) {
    if (isObj(item) && typeof item[key] === 'string' && !map.has(item[key] as string)) map.set(item[key] as string, item);
  }
  return map;
}

function changedFields(a: Obj, b: Obj, keys: string[]): string[] {
  return keys.filter((k) => !deepEqual(a[k], b[k]));
}

function dataFields(a: unknown, b: unknown): string[] {
  const da = isObj(a) ? a : {};
  const db = isObj(b) ? b : {};
  const keys = [...new Set([...Object.keys(da), ...Object.keys(db)])].sort();
  return keys.filter((k) => !deepEqual(da[k], db[k])).map((k) => `data.${k}`);
}

function section(older: Map<string, Obj>, newer: Map<string, Obj>, compare: (a: Obj, b: Obj) => string[]): DiffSection {
  const added = [...newer.keys()].filter((id) => !older.has(id)).sort();
  const removed = [...older.keys()].filter((id) => !newer.has(id)).sort();
  const changed: ChangedItem[] = [];
  for (const [id, a] of older) {
    const b = newer.get(id);
    if (!b) continue;
    const fields = compare(a, b);
    if (fields.length) changed.push({ id, fields });
  }
  changed.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { added, removed, changed };
}

export function diffDefinitions(older: unknown, newer: unknown): DefinitionDiff {
  const a = isObj(older) ? older : {};
  const b = isObj(newer) ? newer : {};
  const moved: string[] = [];
  const nodes = section(byKey(a.nodes, 'id'), byKey(b.nodes, 'id'), (x, y) => {
    const fields = [...(deepEqual(x.type, y.type) ? [] : ['type']), ...dataFields(x.data, y.data)];
    if (!fields.length && !deepEqual(x.position, y.position)) moved.push(String(x.id));
    return fields;
  });
  const edges = section(byKey(a.edges, 'id'), byKey(b.edges, 'id'), (x, y) => changedFields(x, y, ['source', 'target', 'sourceHandle']));
  const variables = section(byKey(a.variables, 'name'), byKey(b.variables, 'name'), (x, y) => changedFields(x, y, ['type', 'default', 'description']));
  moved.sort();
  const identical = [nodes, edges, variables].every((s) => !s.added.length && !s.removed.length && !s.changed.length);
  return { identical, nodes: { ...nodes, moved }, edges, variables };
}
