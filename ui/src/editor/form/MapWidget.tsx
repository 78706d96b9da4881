/**
 * A map field (an object with free keys, such as headers or variables): one row per entry, the key
 * renamed on blur; new entries get a distinct key from the field's name ("headers" → header1).
 * Values are fields of their own (see the note in ListWidget.tsx on importing SchemaForm.tsx).
 */
import type { JsonSchema } from '../../../../workflows/language';
import { useT } from '../../i18n';
import { defaultFor, isObj, type FieldProps, type Obj } from './schema';
import { SchemaField } from './SchemaForm';

export function MapWidget({ name, path, schema, value, onChange, ctx }: FieldProps) {
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
          <input
            className="mono map-key"
            defaultValue={key}
            aria-label={t('form.key')}
            onBlur={(e) => e.target.value && e.target.value !== key && rename(key, e.target.value)}
          />
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
