import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export const MAX_NODES = 500;
export const MAX_EDGES = 2000;

/**
 * The shape a flow definition must have to be stored: an object with `nodes` and `edges` arrays of
 * objects (and optionally `variables`). Everything deeper is the flow validator's job, so a draft
 * can be saved half-drawn; React Flow's extra properties (width, selected, ...) are kept.
 */
export function definitionShapeProblem(value: unknown, field: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${field} must be an object with nodes and edges`;
  const d = value as Record<string, unknown>;
  if (!Array.isArray(d.nodes)) return `${field}.nodes must be an array`;
  if (!Array.isArray(d.edges)) return `${field}.edges must be an array`;
  if (d.nodes.length > MAX_NODES) return `${field}.nodes must have at most ${MAX_NODES} nodes`;
  if (d.edges.length > MAX_EDGES) return `${field}.edges must have at most ${MAX_EDGES} edges`;
  if (d.variables !== undefined && !Array.isArray(d.variables)) return `${field}.variables must be an array`;
  return (
    itemsProblem(d.nodes, `${field}.nodes`, NODE_FIELDS) ??
    itemsProblem(d.edges, `${field}.edges`, EDGE_FIELDS) ??
    (Array.isArray(d.variables) ? itemsProblem(d.variables, `${field}.variables`, VARIABLE_FIELDS) : null)
  );
}

/*
 * The fields the OpenAPI document declares on nodes, edges and variables. Any of them may be
 * missing from a half-drawn draft (the flow validator reports that, in both languages), but one that
 * is present must have the declared JSON type, so what is stored and returned matches the document.
 */
type Kind = 'string' | 'nullableString' | 'object';
const NODE_FIELDS: Record<string, Kind> = { id: 'string', type: 'string', data: 'object', position: 'object' };
const EDGE_FIELDS: Record<string, Kind> = { id: 'string', source: 'string', target: 'string', sourceHandle: 'nullableString', targetHandle: 'nullableString' };
const VARIABLE_FIELDS: Record<string, Kind> = { name: 'string', type: 'string', description: 'string' };
const KIND_TEXT: Record<Kind, string> = { string: 'a string', nullableString: 'a string or null', object: 'an object' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindProblem(value: unknown, kind: Kind): boolean {
  if (value === undefined) return false;
  if (kind === 'object') return !isObject(value);
  if (kind === 'nullableString') return value !== null && typeof value !== 'string';
  return typeof value !== 'string';
}

function itemsProblem(items: unknown[], path: string, fields: Record<string, Kind>): string | null {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isObject(item)) return `${path}.${i} must be an object`;
    for (const [name, kind] of Object.entries(fields)) {
      if (kindProblem(item[name], kind)) return `${path}.${i}.${name} must be ${KIND_TEXT[kind]}`;
    }
    const position = item.position as Record<string, unknown> | undefined;
    for (const axis of ['x', 'y'] as const) {
      if (position && position[axis] !== undefined && typeof position[axis] !== 'number') return `${path}.${i}.position.${axis} must be a number`;
    }
  }
  return null;
}

export function IsFlowDefinition(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    registerDecorator({
      name: 'isFlowDefinition',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => definitionShapeProblem(value, propertyName) === null,
        defaultMessage: (args: ValidationArguments) => definitionShapeProblem(args.value, args.property) ?? `${args.property} is not a flow definition`,
      },
    });
  };
}
