/** Public API of the Cauce flow language: pure and deterministic, safe in Temporal workflows, Node and browsers. */
export * from './types';
export { parseDuration, parseBoundedDuration, checkDuration, DurationError, MIN_DURATION_MS, MAX_DURATION_MS } from './duration';
export type { DurationErrorReason } from './duration';
export { parseIsoDate, isIsoDate } from './iso-date';
export { checkCron } from './cron';
export { foldText } from './text';
export { checkRegex } from './safe-regex';
export { evaluateRule, evaluateCondition, checkRule, ruleVariables, RuleError, RULE_OPERATORS, CUSTOM_RULE_OPERATORS } from './rules';
export type { JsonLogicRule, RuleProblem, RuleProblemKind } from './rules';
export { renderTemplate, checkTemplate, templateVariables, templateVariablePaths, TemplateError, DEFAULT_MAX_OUTPUT } from './templates';
export type { RenderOptions, TemplateProblem, TemplateErrorKind } from './templates';
export {
  NODE_CATALOG,
  getNodeDescription,
  isBuiltInNodeType,
  isWaitingNode,
  nodeBranches,
  nodeWrites,
  nodeJsonSchema,
  parseNodeData,
  catalogForPalette,
} from './catalog';
export type { NodeDataByType, BuiltInNodeType, TypedFlowNode, PaletteEntry, CustomActivityData } from './catalog';
export type { NodeDescription, NodeCategory } from './nodes/define';
export { FIELD_KIND_KEY } from './nodes/fields';
export type { FieldKind } from './nodes/fields';
export { CUSTOM_ACTIVITY_PREFIX, isCustomActivityType, customActivityName, customActivityDataSchema } from './nodes/custom-activity';
export { validateFlow } from './validator';
export { checkSecretUse, literalUrlHost, secretReferences, SECRET_NOT_AVAILABLE } from './validation/secret-checks';
export type { SecretReference } from './validation/secret-checks';
export { PROBLEM_CODES, PROBLEM_MESSAGES, problemSeverity } from './messages';
export type { ProblemCode } from './messages';
export { findSpinningCycles } from './cycles';
export type { CycleNode, CycleEdge } from './cycles';
export { supportTriage, abandonedCart, churnRouting, abExperiment, EXAMPLE_FLOWS } from './examples';
