/**
 * A form generated from a node's JSON Schema (as the palette serves it). Widgets are picked from
 * the schema: `x-cauce-kind` template/rule/duration/cron/regex, enums, numbers, booleans, nested
 * objects, lists and maps. Required fields are always shown; optional ones are offered as
 * "+ field" buttons until they have a value (or a problem). Problems whose `field` path matches are
 * shown under the field.
 *
 * This file picks the widget; the widgets, the field frame and the schema reading live beside it.
 */
import { useId } from 'react';
import type { JsonSchema } from '../../../../workflows/language';
import { useFieldLabel } from '../labels';
import { FieldProblems, FieldShell, RemoveFieldButton, useDescription } from './FieldShell';
import { ListWidget } from './ListWidget';
import { MapWidget } from './MapWidget';
import { RuleField } from './RuleField';
import { defaultFor, isObj, kindOf, problemsAt, schemaType, type FieldProps, type FormContext, type Obj } from './schema';
import { AnyJsonWidget, StringWidget } from './StringWidget';

export { defaultFor, schemaType, type FormContext } from './schema';

export function SchemaField(props: FieldProps) {
  const { name, path, schema, value, onChange, onRemove, required, ctx } = props;
  const id = useId();
  const fieldLabel = useFieldLabel();
  const hint = useDescription(schema);
  const problems = problemsAt(ctx, path);
  const invalid = problems.some((p) => p.severity === 'error');
  const label = props.label ?? fieldLabel(name);
  const type = schemaType(schema);
  const kind = kindOf(schema);
  const shell = { label, problems, onRemove, required, hint };

  if (kind === 'rule') {
    return (
      <FieldShell {...shell} wide>
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
        <FieldProblems problems={problems} />
      </div>
    );
  }
  if (type === 'number' || type === 'integer') {
    return (
      <FieldShell {...shell} htmlFor={id}>
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
      <FieldShell {...shell} wide>
        <ListWidget {...props} />
      </FieldShell>
    );
  }
  if (type === 'object' && isObj(schema.properties)) {
    return (
      <fieldset className={`field fieldset${problems.length ? ' has-problem' : ''}`}>
        <legend className="field-label">
          {label}
          {onRemove && <RemoveFieldButton label={label} onRemove={onRemove} />}
        </legend>
        {hint && <div className="field-hint">{hint}</div>}
        <FieldProblems problems={problems} />
        <ObjectFields schema={schema} value={isObj(value) ? value : {}} path={path} onChange={onChange} ctx={ctx} />
      </fieldset>
    );
  }
  if (type === 'object') {
    return (
      <FieldShell {...shell} wide>
        <MapWidget {...props} />
      </FieldShell>
    );
  }
  if (type === 'any') {
    return (
      <FieldShell {...shell} htmlFor={id}>
        <AnyJsonWidget id={id} value={value} onChange={onChange} invalid={invalid} />
      </FieldShell>
    );
  }
  return (
    <FieldShell {...shell} htmlFor={id} wide={kind === 'template'}>
      <StringWidget id={id} schema={schema} value={value} onChange={onChange} ctx={ctx} invalid={invalid} name={name} />
    </FieldShell>
  );
}

/** The fields of an object schema; optional unset ones are offered as "+ field" buttons. */
export function ObjectFields({
  schema,
  value,
  path,
  onChange,
  ctx,
  skip = [],
}: {
  schema: JsonSchema;
  value: Obj;
  path: string;
  onChange: (value: Obj, field?: string) => void;
  ctx: FormContext;
  skip?: string[];
}) {
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
            <button
              key={name}
              type="button"
              className="chip"
              onClick={() => set(name, defaultFor(props[name], [], name))}
              data-testid={`add-field-${join(name)}`}
            >
              + {fieldLabel(name)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
