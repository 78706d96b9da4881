/**
 * A list field: scalar items in rows, object items (options, cases, tiers, ...) in cards that can
 * be moved up and down; within minItems and maxItems. New object items get distinct ids, since
 * their ids name branches.
 *
 * Items are fields of their own, so this module and SchemaForm.tsx import each other; that is safe
 * because neither uses the other while the modules load, only while rendering.
 */
import type { JsonSchema } from '../../../../workflows/language';
import { useT } from '../../i18n';
import { FieldProblems } from './FieldShell';
import { defaultFor, isObj, problemsAt, schemaType, type FieldProps } from './schema';
import { ObjectFields, SchemaField } from './SchemaForm';

export function ListWidget({ name, path, schema, value, onChange, ctx }: FieldProps) {
  const t = useT();
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
  const removeButton = (i: number) => (
    <button
      type="button"
      className="btn-icon"
      disabled={items.length <= min}
      onClick={() => remove(i)}
      aria-label={t('common.remove')}
      title={t('common.remove')}
    >
      ×
    </button>
  );
  return (
    <div className={objects ? 'list-objects' : 'list-scalars'}>
      {items.map((item, i) => {
        const itemPath = `${path}.${i}`;
        return (
          <div key={i} className={objects ? 'list-card' : 'list-row'}>
            {objects ? (
              <>
                <div className="list-card-head">
                  <span className="list-card-title">#{i + 1}</span>
                  <span className="list-card-actions">
                    <button
                      type="button"
                      className="btn-icon"
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                      aria-label={t('form.moveUp')}
                      title={t('form.moveUp')}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="btn-icon"
                      disabled={i === items.length - 1}
                      onClick={() => move(i, 1)}
                      aria-label={t('form.moveDown')}
                      title={t('form.moveDown')}
                    >
                      ↓
                    </button>
                    {removeButton(i)}
                  </span>
                </div>
                <FieldProblems problems={problemsAt(ctx, itemPath)} />
                <ObjectFields schema={itemSchema} value={isObj(item) ? item : {}} path={itemPath} onChange={(v) => set(i, v)} ctx={ctx} />
              </>
            ) : (
              <>
                <SchemaField name={name} path={itemPath} schema={itemSchema} value={item} onChange={(v) => set(i, v)} ctx={ctx} label={`${i + 1}`} />
                {removeButton(i)}
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
