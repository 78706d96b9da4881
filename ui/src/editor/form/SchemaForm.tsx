/**
 * A form generated from a node's JSON Schema (as the palette serves it). Widgets are picked from
 * the schema: `x-cauce-kind` template/rule/duration/cron/regex, enums, numbers, booleans, nested
 * objects, lists and maps. Required fields are always shown; optional ones are offered as
 * "+ field" buttons until they have a value (or a problem). Problems whose `field` path matches are
 * shown under the field.
 */
import { useId, type ReactNode } from 'react';
import { FIELD_KIND_KEY, type FlowProblem, type JsonSchema } from '../../../../workflows/language';
import { useLocale, useT } from '../../i18n';
import { useEnumLabel, useFieldLabel } from '../labels';
import { DurationField } from './DurationField';
import { RuleField } from './RuleField';
import type { ScopeVariable } from './scope';
import { TemplateField } from './TemplateField';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface FormContext {
  problems: FlowProblem[];
  variables: ScopeVariable[];
  /** String inputs of custom activities are Liquid templates even without the schema marker. */
  templatesByDefault?: boolean;
  readOnly?: boolean;
}

type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';

export function schemaType(schema: JsonSchema): SchemaType {
  const t = schema.type;
  const type = Array.isArray(t) ? t.find((x) => x !== 'null') : t;
  if (typeof type === 'string' && ['string', 'number', 'integer', 'boolean', 'object', 'array'].includes(type)) return type as SchemaType;
  if (Array.isArray(schema.enum)) return 'string';
  if (isObj(schema.properties) || isObj(schema.additionalProperties)) return 'object';
  return 'any';
}

const kindOf = (schema: JsonSchema) => schema[FIELD_KIND_KEY] as string | undefined;

/** A value for a freshly added field or list item. */
export function defaultFor(schema: JsonSchema, siblings: unknown[] = [], key = ''): unknown {
  if (schema.default !== undefined) return JSON.parse(JSON.stringify(schema.default));
  const kind = kindOf(schema);
  if (kind === 'rule') return { '==': [{ var: 'last.text' }, ''] };
  if (kind === 'duration') return '15m';
  switch (schemaType(schema)) {
    case 'string':
      return Array.isArray(schema.enum) ? schema.enum[0] : '';
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' && schema.minimum > -1e9 ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Obj = {};
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      for (const name of (schema.required as string[] | undefined) ?? []) {
        const prop = props[name];
        if (!prop) continue;
        // Ids and values of list items name branches: give each a distinct one.
        if ((name === 'id' || name === 'value') && schemaType(prop) === 'string' && !Array.isArray(prop.enum)) {
          const base = key.replace(/s$/, '') || 'item';
          const taken = new Set(siblings.map((s) => (isObj(s) ? s[name] : undefined)));
          let n = siblings.length + 1;
          while (taken.has(`${base}${n}`)) n++;
          out[name] = `${base}${n}`;
        } else {
          out[name] = defaultFor(prop);
        }
      }
      return out;
    }
    default:
      return '';
  }
}

function problemsAt(ctx: FormContext, path: string): FlowProblem[] {
  return ctx.problems.filter((p) => (p.field ?? '') === path);
}

function FieldShell({ label, htmlFor, problems, hint, children, onRemove, required, wide }: { label: string; htmlFor?: string; problems: FlowProblem[]; hint?: string; children: ReactNode; onRemove?: () => void; required?: boolean; wide?: boolean }) {
  const t = useT();
  return (
    <div className={`field${problems.length ? ' has-problem' : ''}${wide ? ' field-wide' : ''}`}>
      <div className="field-head">
        <label className="field-label" htmlFor={htmlFor}>
          {label}
          {required && <span className="required" aria-label={t('form.required')}> *</span>}
        </label>
        {onRemove && (
          <button type="button" className="btn-icon btn-remove-field" onClick={onRemove} title={t('form.removeField')} aria-label={`${t('form.removeField')}: ${label}`}>
            ×
          </button>
        )}
      </div>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      {problems.map((p, i) => (
        <div key={i} className={`field-problem ${p.severity}`} role={p.severity === 'error' ? 'alert' : undefined}>
          {p.message}
        </div>
      ))}
    </div>
  );
}

function useDescription(schema: JsonSchema): string | undefined {
  // Schema descriptions are written in English: shown as help in English only.
  const [locale] = useLocale();
  return locale === 'en' && typeof schema.description === 'string' ? schema.description : undefined;
}

interface FieldProps {
  name: string;
  path: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  onRemove?: () => void;
  required?: boolean;
  ctx: FormContext;
  label?: string;
}

function StringWidget({ id, schema, value, onChange, ctx, invalid, name }: { id: string; schema: JsonSchema; value: unknown; onChange: (v: unknown) => void; ctx: FormContext; invalid: boolean; name: string }) {
  const t = useT();
  const enumLabel = useEnumLabel();
  const listId = useId();
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const kind = kindOf(schema);
  if (Array.isArray(schema.enum)) {
    return (
      <select id={id} value={text} onChange={(e) => onChange(e.target.value)} className={invalid ? 'invalid' : undefined} disabled={ctx.readOnly}>
        {!schema.enum.includes(text) && <option value={text}>{text || t('form.choose')}</option>}
        {(schema.enum as string[]).map((v) => (
          <option key={v} value={v}>
            {enumLabel(name, v)}
          </option>
        ))}
      </select>
    );
  }
  if (kind === 'template' || (ctx.templatesByDefault && !kind)) {
    return <TemplateField id={id} value={text} onChange={onChange} variables={ctx.variables} multiline={(schema.maxLength as number | undefined) === undefined || (schema.maxLength as number) > 200} invalid={invalid} maxLength={schema.maxLength as number | undefined} testId={`field-${name}`} />;
  }
  if (kind === 'duration') return <DurationField id={id} value={text} onChange={onChange} invalid={invalid} />;
  if (schema.format === 'date-time') {
    const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? text.slice(0, 16) : '';
    return (
      <div className="inline-input">
        <input id={id} type="datetime-local" value={local} onChange={(e) => onChange(e.target.value ? `${e.target.value}:00Z` : '')} className={invalid ? 'invalid' : undefined} />
        <span className="muted small">UTC</span>
      </div>
    );
  }
  const long = typeof schema.maxLength === 'number' && schema.maxLength > 500 && !kind;
  if (long) return <textarea id={id} value={text} rows={3} maxLength={schema.maxLength as number} onChange={(e) => onChange(e.target.value)} className={invalid ? 'invalid' : undefined} />;
  const examples = Array.isArray(schema.examples) ? (schema.examples as unknown[]).map(String) : [];
  return (
    <>
      <input
        id={id}
        value={text}
        maxLength={schema.maxLength as number | undefined}
        className={`${kind === 'cron' || kind === 'regex' ? 'mono ' : ''}${invalid ? 'invalid' : ''}`}
        list={examples.length ? listId : undefined}
        placeholder={kind === 'cron' ? '0 9 * * 1' : undefined}
        spellCheck={kind ? false : undefined}
        onChange={(e) => onChange(e.target.value)}
        data-testid={`field-${name}`}
      />
      {examples.length > 0 && (
        <datalist id={listId}>
          {examples.map((v) => (
            <option key={v} value={v}>
              {enumLabel(name, v)}
            </option>
          ))}
        </datalist>
      )}
    </>
  );
}

function AnyJsonWidget({ id, value, onChange, invalid }: { id: string; value: unknown; onChange: (v: unknown) => void; invalid: boolean }) {
  const t = useT();
  const text = value === undefined ? '' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return (
    <>
      <input
        id={id}
        className={`mono${invalid ? ' invalid' : ''}`}
        defaultValue={text}
        onChange={(e) => {
          const raw = e.target.value;
          if (raw.trim() === '') return onChange(undefined);
          try {
            onChange(JSON.parse(raw));
          } catch {
            onChange(raw);
          }
        }}
      />
      <div className="field-hint">{t('form.jsonHint')}</div>
    </>
  );
}

function ListWidget({ name, path, schema, value, onChange, ctx }: FieldProps) {
  const t = useT();
  const fieldLabel = useFieldLabel();
  const items = Array.isArray(value) ? value : [];
  const itemSchema = (isObj(schema.items) ? schema.items : {}) as JsonSchema;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const set = (i: number, v: unknown) => onChange(items.map((x, j) => (j === i ? v : x)));
  const remove = (i: number) => onChange(items.filter((_, j) => j !== i));
  const move = (i: number, d: number) => {
    const next = [...items];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x);
    onChange(next);
  };
  const add = () => onChange([...items, defaultFor(itemSchema, items, name)]);
  const objects = schemaType(itemSchema) === 'object';
  return (
    <div className={objects ? 'list-objects' : 'list-scalars'}>
      {items.map((item, i) => {
        const itemPath = `${path}.${i}`;
        const itemProblems = problemsAt(ctx, itemPath);
        return (
          <div key={i} className={objects ? 'list-card' : 'list-row'}>
            {objects ? (
              <>
                <div className="list-card-head">
                  <span className="list-card-title">#{i + 1}</span>
                  <span className="list-card-actions">
                    <button type="button" className="btn-icon" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('form.moveUp')} title={t('form.moveUp')}>
                      ↑
                    </button>
                    <button type="button" className="btn-icon" disabled={i === items.length - 1} onClick={() => move(i, 1)} aria-label={t('form.moveDown')} title={t('form.moveDown')}>
                      ↓
                    </button>
                    <button type="button" className="btn-icon" disabled={items.length <= min} onClick={() => remove(i)} aria-label={t('common.remove')} title={t('common.remove')}>
                      ×
                    </button>
                  </span>
                </div>
                {itemProblems.map((p, k) => (
                  <div key={k} className={`field-problem ${p.severity}`}>
                    {p.message}
                  </div>
                ))}
                <ObjectFields schema={itemSchema} value={isObj(item) ? item : {}} path={itemPath} onChange={(v) => set(i, v)} ctx={ctx} />
              </>
            ) : (
              <>
                <SchemaField name={name} path={itemPath} schema={itemSchema} value={item} onChange={(v) => set(i, v)} ctx={ctx} label={`${i + 1}`} />
                <button type="button" className="btn-icon" disabled={items.length <= min} onClick={() => remove(i)} aria-label={t('common.remove')} title={t('common.remove')}>
                  ×
                </button>
              </>
            )}
          </div>
        );
      })}
      {items.length < max && (
        <button type="button" className="btn btn-small btn-add" onClick={add} data-testid={`add-${name}`}>
          + {t('form.addItem')}
        </button>
      )}
    </div>
  );
}

function MapWidget({ name, path, schema, value, onChange, ctx }: FieldProps) {
  const t = useT();
  const entries = Object.entries(isObj(value) ? value : {});
  const valueSchema = (isObj(schema.additionalProperties) ? schema.additionalProperties : {}) as JsonSchema;
  const rename = (from: string, to: string) => {
    const out: Obj = {};
    for (const [k, v] of entries) out[k === from ? to : k] = v;
    onChange(out);
  };
  const setValue = (key: string, v: unknown) => onChange({ ...Object.fromEntries(entries), [key]: v });
  const remove = (key: string) => onChange(Object.fromEntries(entries.filter(([k]) => k !== key)));
  const add = () => {
    let n = entries.length + 1;
    while (entries.some(([k]) => k === `${name.replace(/s$/, '')}${n}`)) n++;
    onChange({ ...Object.fromEntries(entries), [`${name.replace(/s$/, '')}${n}`]: defaultFor(valueSchema) });
  };
  return (
    <div className="map-editor">
      {entries.map(([key, v]) => (
        <div key={key} className="map-row">
          <input className="mono map-key" defaultValue={key} aria-label={t('form.key')} onBlur={(e) => e.target.value && e.target.value !== key && rename(key, e.target.value)} />
          <div className="map-value">
            <SchemaField name={key} path={`${path}.${key}`} schema={valueSchema} value={v} onChange={(x) => setValue(key, x)} ctx={ctx} label={key} />
          </div>
          <button type="button" className="btn-icon" onClick={() => remove(key)} aria-label={t('common.remove')} title={t('common.remove')}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small btn-add" onClick={add}>
        + {t('form.addEntry')}
      </button>
    </div>
  );
}

export function SchemaField(props: FieldProps) {
  const { name, path, schema, value, onChange, onRemove, required, ctx } = props;
  const id = useId();
  const t = useT();
  const fieldLabel = useFieldLabel();
  const hint = useDescription(schema);
  const problems = problemsAt(ctx, path);
  const invalid = problems.some((p) => p.severity === 'error');
  const label = props.label ?? fieldLabel(name);
  const type = schemaType(schema);
  const kind = kindOf(schema);

  if (kind === 'rule') {
    return (
      <FieldShell label={label} problems={problems} onRemove={onRemove} required={required} hint={hint} wide>
        <RuleField value={value} onChange={onChange} variables={ctx.variables} invalid={invalid} testId={`rule-${path}`} />
      </FieldShell>
    );
  }
  if (type === 'boolean') {
    const checked = typeof value === 'boolean' ? value : schema.default === true;
    return (
      <div className={`field field-checkbox${problems.length ? ' has-problem' : ''}`}>
        <label className="checkbox">
          <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
          <span>{label}</span>
        </label>
        {hint && <div className="field-hint">{hint}</div>}
        {problems.map((p, i) => (
          <div key={i} className={`field-problem ${p.severity}`}>
            {p.message}
          </div>
        ))}
      </div>
    );
  }
  if (type === 'number' || type === 'integer') {
    return (
      <FieldShell label={label} htmlFor={id} problems={problems} onRemove={onRemove} required={required} hint={hint}>
        <input
          id={id}
          type="number"
          value={typeof value === 'number' ? value : ''}
          step={type === 'integer' ? 1 : 'any'}
          min={typeof schema.minimum === 'number' && schema.minimum > -1e15 ? schema.minimum : undefined}
          max={typeof schema.maximum === 'number' && schema.maximum < 1e15 ? schema.maximum : undefined}
          className={invalid ? 'invalid' : undefined}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      </FieldShell>
    );
  }
  if (type === 'array') {
    return (
      <FieldShell label={label} problems={problems} onRemove={onRemove} required={required} hint={hint} wide>
        <ListWidget {...props} />
      </FieldShell>
    );
  }
  if (type === 'object') {
    if (isObj(schema.properties)) {
      return (
        <fieldset className={`field fieldset${problems.length ? ' has-problem' : ''}`}>
          <legend className="field-label">
            {label}
            {onRemove && (
              <button type="button" className="btn-icon btn-remove-field" onClick={onRemove} title={t('form.removeField')} aria-label={`${t('form.removeField')}: ${label}`}>
                ×
              </button>
            )}
          </legend>
          {hint && <div className="field-hint">{hint}</div>}
          {problems.map((p, i) => (
            <div key={i} className={`field-problem ${p.severity}`}>
              {p.message}
            </div>
          ))}
          <ObjectFields schema={schema} value={isObj(value) ? value : {}} path={path} onChange={onChange} ctx={{ ...ctx, templatesByDefault: ctx.templatesByDefault }} />
        </fieldset>
      );
    }
    return (
      <FieldShell label={label} problems={problems} onRemove={onRemove} required={required} hint={hint} wide>
        <MapWidget {...props} />
      </FieldShell>
    );
  }
  if (type === 'any') {
    return (
      <FieldShell label={label} htmlFor={id} problems={problems} onRemove={onRemove} required={required} hint={hint}>
        <AnyJsonWidget id={id} value={value} onChange={onChange} invalid={invalid} />
      </FieldShell>
    );
  }
  return (
    <FieldShell label={label} htmlFor={id} problems={problems} onRemove={onRemove} required={required} hint={hint} wide={kind === 'template'}>
      <StringWidget id={id} schema={schema} value={value} onChange={onChange} ctx={ctx} invalid={invalid} name={name} />
    </FieldShell>
  );
}

/** The fields of an object schema; optional unset ones are offered as "+ field" buttons. */
export function ObjectFields({ schema, value, path, onChange, ctx, skip = [] }: { schema: JsonSchema; value: Obj; path: string; onChange: (value: Obj, field?: string) => void; ctx: FormContext; skip?: string[] }) {
  const fieldLabel = useFieldLabel();
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const join = (name: string) => (path ? `${path}.${name}` : name);
  const hasProblem = (name: string) => ctx.problems.some((p) => p.field === join(name) || p.field?.startsWith(`${join(name)}.`));
  const names = Object.keys(props).filter((n) => !skip.includes(n));
  const shown = names.filter((n) => required.has(n) || value[n] !== undefined || hasProblem(n) || schemaType(props[n]) === 'boolean');
  const offered = names.filter((n) => !shown.includes(n));
  const set = (name: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined) delete next[name];
    else next[name] = v;
    onChange(next, join(name));
  };
  // Unknown fields (kept by the editor, ignored at run time) stay untouched.
  return (
    <div className="object-fields">
      {shown.map((name) => (
        <SchemaField
          key={name}
          name={name}
          path={join(name)}
          schema={props[name]}
          value={value[name]}
          required={required.has(name)}
          onChange={(v) => set(name, v)}
          onRemove={required.has(name) || schemaType(props[name]) === 'boolean' ? undefined : () => set(name, undefined)}
          ctx={ctx}
        />
      ))}
      {offered.length > 0 && (
        <div className="add-fields">
          {offered.map((name) => (
            <button key={name} type="button" className="chip" onClick={() => set(name, defaultFor(props[name], [], name))} data-testid={`add-field-${join(name)}`}>
              + {fieldLabel(name)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
