/**
 * The node catalog: every built-in node type, plus helpers shared by the editor, the API, the
 * validator and the interpreter (branches, waiting nodes, JSON Schemas, the palette).
 */
import { z } from 'zod';
import type { NodeCategory, NodeDescription } from './nodes/define';
import { abSplitNode } from './nodes/ab-split';
import { aiClassifyNode } from './nodes/ai-classify';
import { aiReplyNode } from './nodes/ai-reply';
import { aiSentimentNode } from './nodes/ai-sentiment';
import { askNode } from './nodes/ask';
import { conditionNode } from './nodes/condition';
import { crmLookupNode } from './nodes/crm-lookup';
import { crmTicketNode } from './nodes/crm-ticket';
import { crmUpdateNode } from './nodes/crm-update';
import { csatNode } from './nodes/csat';
import { CUSTOM_ACTIVITY_BRANCHES, customActivityDataSchema, isCustomActivityType, type CustomActivityData } from './nodes/custom-activity';
import { delayNode } from './nodes/delay';
import { endNode } from './nodes/end';
import { escalateNode } from './nodes/escalate';
import { goalNode } from './nodes/goal';
import { httpNode } from './nodes/http';
import { messageNode } from './nodes/message';
import { notifyNode } from './nodes/notify';
import { personalizeNode } from './nodes/personalize';
import { scoreChurnNode } from './nodes/score-churn';
import { setVariablesNode } from './nodes/set-variables';
import { startNode } from './nodes/start';
import { subflowNode } from './nodes/subflow';
import { switchNode } from './nodes/switch';
import { waitForEventNode } from './nodes/wait-for-event';
import type { CustomActivityRegistry, FlowNode, JsonSchema, Locale } from './types';

/**
 * Every built-in node type, once, in palette order. A new node type is added here; the types below
 * follow, and the interpreter's handler map (workflows/interpreter/nodes/index.ts) then fails to
 * compile until the type has a handler.
 */
const BUILT_IN_NODES = [
  startNode,
  messageNode,
  askNode,
  conditionNode,
  switchNode,
  delayNode,
  waitForEventNode,
  setVariablesNode,
  abSplitNode,
  goalNode,
  aiClassifyNode,
  aiSentimentNode,
  aiReplyNode,
  escalateNode,
  crmLookupNode,
  crmUpdateNode,
  crmTicketNode,
  notifyNode,
  httpNode,
  personalizeNode,
  scoreChurnNode,
  csatNode,
  subflowNode,
  endNode,
] as const;
type BuiltInNode = (typeof BUILT_IN_NODES)[number];

/** Data type of each built-in node type (after parsing, defaults applied), read off its schema. */
export type NodeDataByType = { [N in BuiltInNode as N['type']]: z.output<N['data']> };
export type BuiltInNodeType = BuiltInNode['type'];
export type { CustomActivityData };

/** A node narrowed by its type, for the interpreter's `switch (node.type)`. */
export type TypedFlowNode = { [T in BuiltInNodeType]: FlowNode<NodeDataByType[T]> & { type: T } }[BuiltInNodeType];

// Each description's `branches` and `writes` take its own data; as a list they take any.
export const NODE_CATALOG: readonly NodeDescription[] = BUILT_IN_NODES as readonly NodeDescription[];

const BY_TYPE = new Map<string, NodeDescription>(NODE_CATALOG.map((d) => [d.type, d]));

export function getNodeDescription(type: string): NodeDescription | undefined {
  return BY_TYPE.get(type);
}

export function isBuiltInNodeType(type: string): type is BuiltInNodeType {
  return BY_TYPE.has(type);
}

/** True for nodes that may suspend on the customer, time or an event. */
export function isWaitingNode(type: string): boolean {
  return BY_TYPE.get(type)?.waits ?? false;
}

function dataObject(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** Branch names of a node (edge `sourceHandle`s); [] for unknown types. Works on invalid data too. */
export function nodeBranches(node: Pick<FlowNode<unknown>, 'type' | 'data'>): string[] {
  if (isCustomActivityType(node.type)) return [...CUSTOM_ACTIVITY_BRANCHES];
  const description = BY_TYPE.get(node.type);
  if (!description) return [];
  try {
    return [...new Set(description.branches(dataObject(node.data)))];
  } catch {
    return [];
  }
}

/** Variables (`vars.<name>`) the node writes. Works on invalid data too. */
export function nodeWrites(node: Pick<FlowNode<unknown>, 'type' | 'data'>): string[] {
  const description = BY_TYPE.get(node.type);
  if (!description?.writes) return [];
  try {
    return description.writes(dataObject(node.data)).filter((v) => typeof v === 'string' && v !== '');
  } catch {
    return [];
  }
}

/** Parses node data with its schema (defaults applied). Unknown types fail. */
export function parseNodeData<T extends BuiltInNodeType>(
  type: T,
  data: unknown,
): { success: true; data: NodeDataByType[T] } | { success: false; error: z.ZodError };
export function parseNodeData(type: string, data: unknown): { success: true; data: unknown } | { success: false; error: z.ZodError };
export function parseNodeData(type: string, data: unknown) {
  const schema = isCustomActivityType(type) ? customActivityDataSchema : BY_TYPE.get(type)?.data;
  if (!schema) {
    return { success: false, error: new z.ZodError([{ code: 'custom', path: [], message: `Unknown node type "${type}"`, input: type }]) };
  }
  const result = schema.safeParse(data);
  return result.success ? { success: true, data: result.data } : { success: false, error: result.error };
}

const schemaCache = new Map<string, JsonSchema>();

function toJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** JSON Schema (draft 2020-12) of a node type's data; undefined for unknown types. */
export function nodeJsonSchema(type: string): JsonSchema | undefined {
  const key = isCustomActivityType(type) ? 'activity:*' : type;
  const cached = schemaCache.get(key);
  if (cached) return cached;
  const schema = key === 'activity:*' ? customActivityDataSchema : BY_TYPE.get(type)?.data;
  if (!schema) return undefined;
  const json = toJsonSchema(schema);
  schemaCache.set(key, json);
  return json;
}

/** A palette entry: plain, serialisable. */
export interface PaletteEntry {
  type: string;
  title: string;
  description: string;
  category: NodeCategory | 'custom';
  dataSchema: JsonSchema;
  branches: string[];
  waits: boolean;
  defaultData: Record<string, unknown>;
  outputDescription?: string;
  outputSchema?: JsonSchema;
}

function localized(text: string | { es: string; en: string } | undefined, locale: Locale, fallback: string): string {
  if (text === undefined) return fallback;
  return typeof text === 'string' ? text : text[locale];
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const PALETTE_CATEGORIES = new Set<string>(NODE_CATALOG.map((d) => d.category));

/** Every node type (and, when given, every custom activity) as plain objects for the editor palette. */
export function catalogForPalette(locale: Locale = 'es', customActivities: CustomActivityRegistry = {}): PaletteEntry[] {
  const builtIns: PaletteEntry[] = NODE_CATALOG.map((d) => ({
    type: d.type,
    title: d.title[locale],
    description: d.description[locale],
    category: d.category,
    dataSchema: clone(nodeJsonSchema(d.type) as JsonSchema),
    branches: d.branches(clone(d.defaultData) as never),
    waits: d.waits,
    defaultData: clone(d.defaultData) as Record<string, unknown>,
    ...(d.outputDescription ? { outputDescription: d.outputDescription[locale] } : {}),
  }));
  const customs: PaletteEntry[] = Object.entries(customActivities).map(([name, def]) => {
    const dataSchema = clone(nodeJsonSchema(`activity:${name}`) as JsonSchema);
    (dataSchema.properties as Record<string, unknown>).input = clone(def.inputSchema);
    return {
      type: `activity:${name}`,
      title: localized(def.title, locale, name),
      description: localized(def.description, locale, ''),
      // A developer may file the activity under a built-in group; anything else stays under "custom".
      category: PALETTE_CATEGORIES.has(def.category as string) ? (def.category as NodeCategory) : 'custom',
      dataSchema,
      branches: [...CUSTOM_ACTIVITY_BRANCHES],
      waits: false,
      defaultData: { input: {} },
      ...(def.outputSchema ? { outputSchema: clone(def.outputSchema) } : {}),
    };
  });
  return [...builtIns, ...customs];
}
