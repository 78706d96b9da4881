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
  const badNode = d.nodes.findIndex((n) => typeof n !== 'object' || n === null || Array.isArray(n));
  if (badNode >= 0) return `${field}.nodes.${badNode} must be an object`;
  const badEdge = d.edges.findIndex((e) => typeof e !== 'object' || e === null || Array.isArray(e));
  if (badEdge >= 0) return `${field}.edges.${badEdge} must be an object`;
  if (d.variables !== undefined && !Array.isArray(d.variables)) return `${field}.variables must be an array`;
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
