/**
 * Widgets for text and for free JSON. A string becomes a select (enum), a Liquid template field,
 * a duration, a date-time (UTC), a text area (long text) or an input with suggestions (examples);
 * cron and regex fields are monospaced.
 */
import { useId } from 'react';
import type { JsonSchema } from '../../../../workflows/language';
import { useT } from '../../i18n';
import { useEnumLabel } from '../labels';
import { DurationField } from './DurationField';
import { kindOf, type FormContext } from './schema';
import { TemplateField } from './TemplateField';

export function StringWidget({
  id,
  schema,
  value,
  onChange,
  ctx,
  invalid,
  name,
}: {
  id: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  ctx: FormContext;
  invalid: boolean;
  name: string;
}) {
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
    return (
      <TemplateField
        id={id}
        value={text}
        onChange={onChange}
        variables={ctx.variables}
        multiline={(schema.maxLength as number | undefined) === undefined || (schema.maxLength as number) > 200}
        invalid={invalid}
        maxLength={schema.maxLength as number | undefined}
        testId={`field-${name}`}
      />
    );
  }
  if (kind === 'duration') return <DurationField id={id} value={text} onChange={onChange} invalid={invalid} />;
  if (schema.format === 'date-time') {
    const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? text.slice(0, 16) : '';
    return (
      <div className="inline-input">
        <input
          id={id}
          type="datetime-local"
          value={local}
          onChange={(e) => onChange(e.target.value ? `${e.target.value}:00Z` : '')}
          className={invalid ? 'invalid' : undefined}
        />
        <span className="muted small">UTC</span>
      </div>
    );
  }
  const long = typeof schema.maxLength === 'number' && schema.maxLength > 500 && !kind;
  if (long)
    return (
      <textarea
        id={id}
        value={text}
        rows={3}
        maxLength={schema.maxLength as number}
        onChange={(e) => onChange(e.target.value)}
        className={invalid ? 'invalid' : undefined}
      />
    );
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

/** A value of no declared type, edited as JSON; text that is not JSON is kept as a string. */
export function AnyJsonWidget({ id, value, onChange, invalid }: { id: string; value: unknown; onChange: (v: unknown) => void; invalid: boolean }) {
  const t = useT();
  const text = value === undefined ? '' : JSON.stringify(value);
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
