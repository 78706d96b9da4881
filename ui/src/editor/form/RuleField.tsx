/**
 * The visual rule builder (react-querybuilder) producing JSON Logic for the flow language, with a
 * JSON mode for rules the builder cannot show (custom helpers such as days_since, arithmetic).
 * Fields are free paths of the run scope, autocompleted from the flow's variables.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { QueryBuilder, type FieldSelectorProps, type FullField, type RuleGroupType, type Translations } from 'react-querybuilder';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { ruleSummary } from '../summary';
import { EMPTY_GROUP, queryToRule, ruleToQuery } from './rule-bridge';
import type { ScopeVariable } from './scope';

const OPERATORS: { name: string; label: MessageKey }[] = [
  { name: '=', label: 'rule.op.eq' },
  { name: '!=', label: 'rule.op.ne' },
  { name: '<', label: 'rule.op.lt' },
  { name: '<=', label: 'rule.op.le' },
  { name: '>', label: 'rule.op.gt' },
  { name: '>=', label: 'rule.op.ge' },
  { name: 'contains', label: 'rule.op.contains' },
  { name: 'doesNotContain', label: 'rule.op.doesNotContain' },
  { name: 'beginsWith', label: 'rule.op.beginsWith' },
  { name: 'in', label: 'rule.op.in' },
  { name: 'notIn', label: 'rule.op.notIn' },
  { name: 'between', label: 'rule.op.between' },
  { name: 'null', label: 'rule.op.null' },
  { name: 'notNull', label: 'rule.op.notNull' },
];

/** The field of a condition: any scope path, with suggestions. */
function PathSelector({ value, handleOnChange, options, title, disabled, className }: FieldSelectorProps) {
  const listId = useId();
  const t = useT();
  return (
    <>
      <input
        className={`${className ?? ''} mono rule-path`}
        list={listId}
        value={value ?? ''}
        title={title}
        disabled={disabled}
        placeholder={t('rule.pathPlaceholder')}
        aria-label={t('rule.field')}
        onChange={(e) => handleOnChange(e.target.value)}
      />
      <datalist id={listId}>
        {(options as { name?: string; value?: string }[]).map((o) => (
          <option key={o.name ?? o.value} value={o.name ?? o.value} />
        ))}
      </datalist>
    </>
  );
}

export function RuleField({
  value,
  onChange,
  variables,
  invalid,
  testId,
}: {
  value: unknown;
  onChange: (rule: Record<string, unknown>) => void;
  variables: ScopeVariable[];
  invalid?: boolean;
  testId?: string;
}) {
  const t = useT();
  const [locale] = useLocale();
  const parsed = useMemo(() => ruleToQuery(value), [value]);
  const [mode, setMode] = useState<'visual' | 'json'>(parsed ? 'visual' : 'json');
  const [query, setQuery] = useState<RuleGroupType>(parsed ?? EMPTY_GROUP);
  const [jsonText, setJsonText] = useState(() => JSON.stringify(value ?? {}, null, 2));
  const [jsonError, setJsonError] = useState(false);
  const lastEmitted = useRef<string>(JSON.stringify(value));

  // The rule changed from outside (undo, another node): follow it.
  useEffect(() => {
    const text = JSON.stringify(value);
    if (text === lastEmitted.current) return;
    lastEmitted.current = text;
    setJsonText(JSON.stringify(value ?? {}, null, 2));
    setJsonError(false);
    const q = ruleToQuery(value);
    if (q) setQuery(q);
    else setMode('json');
  }, [value]);

  const emit = (rule: Record<string, unknown>) => {
    lastEmitted.current = JSON.stringify(rule);
    onChange(rule);
  };

  const fields = useMemo<FullField[]>(() => {
    const paths = new Set(variables.filter((v) => v.hint !== 'root' && v.hint !== 'node').map((v) => v.path));
    const collect = (g: RuleGroupType) => g.rules.forEach((r) => ('rules' in r ? collect(r) : r.field && paths.add(r.field)));
    collect(query);
    return [...paths].map((p) => ({ name: p, label: p, value: p }) as FullField);
  }, [variables, query]);

  const operators = useMemo(() => OPERATORS.map((o) => ({ name: o.name, value: o.name, label: t(o.label) })), [t]);
  const combinators = useMemo(
    () => [
      { name: 'and', value: 'and', label: t('rule.and') },
      { name: 'or', value: 'or', label: t('rule.or') },
    ],
    [t],
  );
  const translations = useMemo<Partial<Translations>>(
    () => ({
      addRule: { label: t('rule.addCondition'), title: t('rule.addCondition') },
      addGroup: { label: t('rule.addGroup'), title: t('rule.addGroup') },
      removeRule: { label: '×', title: t('common.remove') },
      removeGroup: { label: '×', title: t('common.remove') },
      notToggle: { label: t('rule.not'), title: t('rule.not') },
      combinators: { title: t('rule.combinator') },
      operators: { title: t('rule.operator') },
      value: { title: t('rule.value') },
    }),
    [t],
  );

  const canVisual = mode === 'json' ? !jsonError && ruleToQuery(value) !== null : true;
  return (
    <div className={`rule-field${invalid ? ' invalid' : ''}`} data-testid={testId}>
      <div className="rule-field-bar">
        <span className="rule-summary" title={ruleSummary(value, locale)}>
          {ruleSummary(value, locale)}
        </span>
        <div className="segmented segmented-small" role="group" aria-label={t('rule.mode')}>
          <button
            type="button"
            className={mode === 'visual' ? 'active' : undefined}
            aria-pressed={mode === 'visual'}
            disabled={!canVisual}
            title={canVisual ? undefined : t('rule.notVisual')}
            onClick={() => {
              const q = ruleToQuery(value);
              if (q) {
                setQuery(q);
                setMode('visual');
              }
            }}
          >
            {t('rule.visual')}
          </button>
          <button type="button" className={mode === 'json' ? 'active' : undefined} aria-pressed={mode === 'json'} onClick={() => setMode('json')}>
            JSON
          </button>
        </div>
      </div>
      {mode === 'visual' ? (
        <QueryBuilder
          fields={fields}
          query={query}
          operators={operators}
          combinators={combinators}
          translations={translations}
          controlElements={{ fieldSelector: PathSelector }}
          showNotToggle
          resetOnFieldChange={false}
          onQueryChange={(q: RuleGroupType) => {
            setQuery(q);
            const rule = queryToRule(q);
            setJsonText(JSON.stringify(rule, null, 2));
            emit(rule);
          }}
        />
      ) : (
        <>
          {!ruleToQuery(value) && !jsonError && <p className="field-hint">{t('rule.notVisual')}</p>}
          <textarea
            className={`mono${jsonError ? ' invalid' : ''}`}
            rows={Math.min(12, Math.max(3, jsonText.split('\n').length))}
            value={jsonText}
            spellCheck={false}
            aria-label={t('rule.json')}
            onChange={(e) => {
              setJsonText(e.target.value);
              try {
                const rule = JSON.parse(e.target.value);
                if (rule && typeof rule === 'object' && !Array.isArray(rule)) {
                  setJsonError(false);
                  emit(rule);
                } else setJsonError(true);
              } catch {
                setJsonError(true);
              }
            }}
          />
          {jsonError && <p className="text-error">{t('rule.jsonInvalid')}</p>}
        </>
      )}
    </div>
  );
}
