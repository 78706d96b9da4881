/** What every generated field has around its widget: label, remove button, hint and problems. */
import type { ReactNode } from 'react';
import type { FlowProblem, JsonSchema } from '../../../../workflows/language';
import { useLocale, useT } from '../../i18n';

/** The problems under a field; `alert` announces errors to screen readers. */
export function FieldProblems({ problems, alert }: { problems: FlowProblem[]; alert?: boolean }) {
  return (
    <>
      {problems.map((p, i) => (
        <div key={i} className={`field-problem ${p.severity}`} role={alert && p.severity === 'error' ? 'alert' : undefined}>
          {p.message}
        </div>
      ))}
    </>
  );
}

export function FieldShell({
  label,
  htmlFor,
  problems,
  hint,
  children,
  onRemove,
  required,
  wide,
}: {
  label: string;
  htmlFor?: string;
  problems: FlowProblem[];
  hint?: string;
  children: ReactNode;
  onRemove?: () => void;
  required?: boolean;
  wide?: boolean;
}) {
  const t = useT();
  return (
    <div className={`field${problems.length ? ' has-problem' : ''}${wide ? ' field-wide' : ''}`}>
      <div className="field-head">
        <label className="field-label" htmlFor={htmlFor}>
          {label}
          {required && (
            <span className="required" aria-label={t('form.required')}>
              {' '}
              *
            </span>
          )}
        </label>
        {onRemove && <RemoveFieldButton label={label} onRemove={onRemove} />}
      </div>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      <FieldProblems problems={problems} alert />
    </div>
  );
}

export function RemoveFieldButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  const t = useT();
  return (
    <button
      type="button"
      className="btn-icon btn-remove-field"
      onClick={onRemove}
      title={t('form.removeField')}
      aria-label={`${t('form.removeField')}: ${label}`}
    >
      ×
    </button>
  );
}

/** A field's help text. Schema descriptions are written in English: shown in English only. */
export function useDescription(schema: JsonSchema): string | undefined {
  const [locale] = useLocale();
  return locale === 'en' && typeof schema.description === 'string' ? schema.description : undefined;
}
