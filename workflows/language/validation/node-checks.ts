/**
 * Per-node checks: type, data schema, and every annotated field (templates, rules, durations,
 * regexes, cron). Fills in the node's branches, writes and variable reads for later passes.
 */
import { getNodeDescription, nodeBranches, nodeJsonSchema, nodeWrites } from '../catalog';
import { checkCron } from '../cron';
import { checkDuration } from '../duration';
import { customActivityDataSchema, customActivityName, isCustomActivityType } from '../nodes/custom-activity';
import { checkRule, ruleVariables } from '../rules';
import { explainRegex } from '../safe-regex';
import { checkTemplate, templateVariablePaths } from '../templates';
import { isPlainObject } from '../text';
import type { ValidateOptions } from '../types';
import type { ProblemCollector } from './collector';
import { walkFields, type KindedField } from './field-walk';
import type { NodeInfo } from './model';
import { ruleProblemText } from './rule-messages';
import { templateProblemText } from './template-messages';
import { issuePath, issueText } from './zod-issues';
import type { z } from 'zod';

const MAX_RULE_PROBLEMS_PER_FIELD = 5;

function checkField(node: NodeInfo, field: KindedField, problems: ProblemCollector): void {
  const at = { nodeId: node.id, field: field.path };
  const base = { node: node.name, field: field.path };
  switch (field.kind) {
    case 'template': {
      if (typeof field.value !== 'string') return;
      const [problem] = checkTemplate(field.value);
      if (problem) problems.add('template.invalid', { ...base, ...templateProblemText(problem.message) }, at);
      else templateVariablePaths(field.value).forEach((path) => node.reads.push({ path, field: field.path }));
      return;
    }
    case 'rule': {
      const found = checkRule(field.value);
      found.slice(0, MAX_RULE_PROBLEMS_PER_FIELD).forEach((p) => problems.add('rule.invalid', { ...base, ...ruleProblemText(p) }, at));
      ruleVariables(field.value).forEach((path) => node.reads.push({ path, field: field.path }));
      return;
    }
    case 'duration': {
      if (typeof field.value !== 'string' || field.value === '') return;
      const error = checkDuration(field.value);
      if (!error) return;
      const code = error.reason === 'too_short' || error.reason === 'too_long' ? 'duration.out_of_range' : 'duration.invalid';
      problems.add(code, { ...base, value: field.value }, at);
      return;
    }
    case 'regex': {
      if (typeof field.value !== 'string' || field.value === '') return;
      const problem = explainRegex(field.value);
      if (problem) problems.add('regex.invalid', { ...base, detail: problem.en, detailEs: problem.es }, at);
      return;
    }
    case 'cron': {
      if (typeof field.value !== 'string' || field.value === '') return;
      const problem = checkCron(field.value);
      if (problem) problems.add('cron.invalid', { ...base, value: field.value, detail: problem }, at);
      return;
    }
  }
}

function reportIssues(node: NodeInfo, issues: readonly z.core.$ZodIssue[], problems: ProblemCollector): void {
  for (const issue of issues) {
    problems.add('node.invalid_data', { ...issueText(issue, node.name, node.rawData) }, { nodeId: node.id, field: issuePath(issue) });
  }
}

function checkCustomActivity(node: NodeInfo, problems: ProblemCollector, options: ValidateOptions): void {
  node.branches = nodeBranches(node);
  const name = customActivityName(node.type);
  const registry = options.customActivities ?? {};
  const definition = registry[name] ?? registry[node.type];
  if (!definition) problems.add('node.unknown_activity', { node: node.name, activity: name }, { nodeId: node.id });
  const parsed = customActivityDataSchema.safeParse(node.rawData);
  if (!parsed.success) reportIssues(node, parsed.error.issues, problems);
  const input = isPlainObject(node.data.input) ? node.data.input : {};
  const required = definition && Array.isArray(definition.inputSchema?.required) ? (definition.inputSchema.required as unknown[]) : [];
  for (const key of required) {
    if (typeof key === 'string' && input[key] === undefined) {
      problems.add(
        'node.invalid_data',
        {
          es: `En el nodo «${node.name}», falta el dato de entrada «${key}».`,
          en: `In node “${node.name}”, the input “${key}” is missing.`,
        },
        { nodeId: node.id, field: `input.${key}` },
      );
    }
  }
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string') checkField(node, { kind: 'template', path: `input.${key}`, value }, problems);
  }
}

export function checkNodeData(node: NodeInfo, problems: ProblemCollector, options: ValidateOptions): void {
  if (isCustomActivityType(node.type)) {
    checkCustomActivity(node, problems, options);
    return;
  }
  const description = getNodeDescription(node.type);
  if (!description) {
    problems.add('node.unknown_type', { node: node.name, type: node.type || '—' }, { nodeId: node.id });
    return;
  }
  node.branches = nodeBranches(node);
  node.waits = description.waits;
  node.writes = nodeWrites(node);

  const parsed = description.data.safeParse(node.rawData);
  if (!parsed.success) reportIssues(node, parsed.error.issues, problems);

  const walked = walkFields(nodeJsonSchema(node.type) ?? {}, node.rawData);
  walked.fields.forEach((field) => checkField(node, field, problems));
  walked.unknownKeys.forEach((field) => problems.add('node.unknown_field', { node: node.name, field }, { nodeId: node.id, field }));

  if (node.type === 'subflow' && options.knownFlowIds && typeof node.data.flowId === 'string' && node.data.flowId !== '') {
    if (!options.knownFlowIds.includes(node.data.flowId)) {
      problems.add('node.unknown_subflow', { node: node.name, flow: node.data.flowId }, { nodeId: node.id, field: 'flowId' });
    }
  }
}
