/** Variable checks: flow declarations, unknown roots, undefined `vars.*`, `nodes.<id>` of missing nodes. */
import { isPlainObject, isReservedName, IDENTIFIER } from '../text';
import { SCOPE_ROOTS, type LocalizedText } from '../types';
import type { ProblemCollector } from './collector';
import type { FlowModel } from './model';

const VARIABLE_TYPES = ['string', 'number', 'boolean', 'object', 'array'];

function typeMatches(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      return typeof value === type;
  }
}

function declarationProblem(decl: unknown, seen: Set<string>): { text: LocalizedText; field: string } | null {
  if (!isPlainObject(decl)) return { text: { es: 'debe ser un objeto con nombre y tipo', en: 'it must be an object with a name and a type' }, field: '' };
  const name = decl.name;
  if (typeof name === 'string' && isReservedName(name)) {
    return { text: { es: `«${name}» es un nombre reservado`, en: `“${name}” is a reserved name` }, field: 'name' };
  }
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    return {
      text: {
        es: 'el nombre solo puede tener letras sin acentos, números y guiones bajos, y no puede empezar por un número',
        en: 'the name may only contain letters, digits and underscores, and cannot start with a digit',
      },
      field: 'name',
    };
  }
  if (seen.has(name)) return { text: { es: `«${name}» está declarada dos veces`, en: `“${name}” is declared twice` }, field: 'name' };
  seen.add(name);
  if (!VARIABLE_TYPES.includes(decl.type as string)) {
    return {
      text: {
        es: `el tipo de «${name}» debe ser uno de: ${VARIABLE_TYPES.join(', ')}`,
        en: `the type of “${name}” must be one of: ${VARIABLE_TYPES.join(', ')}`,
      },
      field: 'type',
    };
  }
  if (decl.default !== undefined && !typeMatches(decl.type, decl.default)) {
    return {
      text: { es: `el valor inicial de «${name}» no es de tipo ${decl.type}`, en: `the initial value of “${name}” is not of type ${decl.type}` },
      field: 'default',
    };
  }
  return null;
}

/** Names defined by flow declarations and by nodes that write variables. */
export function definedVariables(model: FlowModel): Set<string> {
  const names = new Set<string>();
  for (const decl of model.variables) if (isPlainObject(decl) && typeof decl.name === 'string') names.add(decl.name);
  for (const node of model.nodes) node.writes.forEach((w) => names.add(w));
  return names;
}

export function checkVariables(model: FlowModel, problems: ProblemCollector): void {
  const seen = new Set<string>();
  model.variables.forEach((decl, i) => {
    const problem = declarationProblem(decl, seen);
    if (problem) {
      problems.add('variable.invalid_declaration', { index: i + 1, ...problem.text }, { field: `variables.${i}${problem.field ? `.${problem.field}` : ''}` });
    }
  });

  const defined = definedVariables(model);
  const roots: readonly string[] = SCOPE_ROOTS;
  for (const node of model.nodes) {
    const reported = new Set<string>();
    for (const read of node.reads) {
      const [root, second] = read.path.split('.');
      const key = `${read.field}\u0000${root}\u0000${second}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const at = { nodeId: node.id, field: read.field };
      const reserved = read.path.split('.').find(isReservedName);
      if (reserved !== undefined) {
        problems.add('variable.reserved_name', { node: node.name, field: read.field, path: read.path, name: reserved }, at);
      } else if (!roots.includes(root)) {
        problems.add('variable.unknown_root', { node: node.name, field: read.field, path: read.path, root }, at);
      } else if (root === 'vars' && second !== undefined && !defined.has(second)) {
        problems.add('variable.unknown', { node: node.name, field: read.field, variable: second }, at);
      } else if (root === 'nodes' && second !== undefined && !model.byId.has(second)) {
        problems.add('variable.unknown_node', { node: node.name, field: read.field, target: second }, at);
      }
    }
  }
}
