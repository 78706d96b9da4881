/**
 * The flow format shared by the editor (React Flow), the API and the interpreter.
 * Positions are editor-only; the runtime ignores them.
 */

export type Locale = 'es' | 'en';

/** A text in every language the product speaks. */
export interface LocalizedText {
  es: string;
  en: string;
}

export interface FlowNode<D = Record<string, unknown>> {
  id: string;
  type: string;
  position?: { x: number; y: number };
  data: D;
}

/** An edge leaves its source through a named branch: `sourceHandle`. */
export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string;
  targetHandle?: string | null;
}

export type VariableType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** A flow-level variable: readable as `vars.<name>` from the start of the run. */
export interface VariableDeclaration {
  name: string;
  type: VariableType;
  default?: unknown;
  description?: string;
}

export interface FlowDefinition {
  nodes: FlowNode[];
  edges: FlowEdge[];
  variables?: VariableDeclaration[];
}

/** The last customer message, readable as `last.*`. */
export interface LastMessage {
  text: string;
  channel?: string;
  at?: string;
  [key: string]: unknown;
}

/** Facts about the run, readable as `run.*`. `now` is the only clock rules and templates may use. */
export interface RunInfo {
  /** ISO 8601 instant or epoch milliseconds: the workflow's deterministic "now". */
  now?: string | number;
  id?: string;
  flowId?: string;
  version?: number;
  channel?: string;
  startedAt?: string;
  [key: string]: unknown;
}

/** What rules and templates can read. Every root is optional so callers can pass partial scopes. */
export interface FlowScope {
  input?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  customer?: Record<string, unknown> | null;
  last?: LastMessage | null;
  run?: RunInfo;
  nodes?: Record<string, { output?: unknown }>;
  event?: unknown;
}

/** The roots a rule (`{"var": "root.x"}`) or a template (`{{ root.x }}`) may reference. */
export const SCOPE_ROOTS = ['input', 'vars', 'customer', 'last', 'run', 'nodes', 'event'] as const;
export type ScopeRoot = (typeof SCOPE_ROOTS)[number];

export type Severity = 'error' | 'warning';

/** One problem found by the validator, in both languages. */
export interface FlowProblem {
  /** Stable machine code, e.g. `flow.no_start`. */
  code: string;
  severity: Severity;
  /** The message in the requested locale. */
  message: string;
  messages: LocalizedText;
  nodeId?: string;
  edgeId?: string;
  /** Data path inside the node, e.g. `tiers.0.sla`. */
  field?: string;
  /** The branch (source handle) concerned, for branch and edge problems. */
  branch?: string;
  /** Every node involved, for problems spanning several nodes (cycles). */
  nodeIds?: string[];
}

export interface ValidationResult {
  valid: boolean;
  errors: FlowProblem[];
  warnings: FlowProblem[];
}

/** A JSON Schema object (draft 2020-12), as produced by zod's `z.toJSONSchema`. */
export type JsonSchema = Record<string, unknown>;

/** A developer-registered activity, usable as node type `activity:<name>`. */
export interface CustomActivityDefinition {
  title?: string | LocalizedText;
  description?: string | LocalizedText;
  /** JSON Schema of `data.input`; only `required` keys are enforced by the validator. */
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  [key: string]: unknown;
}

/** Registry keyed by activity name (the part after `activity:`). */
export type CustomActivityRegistry = Record<string, CustomActivityDefinition>;

export interface ValidateOptions {
  customActivities?: CustomActivityRegistry;
  locale?: Locale;
  /** Published flow ids a `subflow` may call; when given, unknown ids are errors. */
  knownFlowIds?: readonly string[];
}
