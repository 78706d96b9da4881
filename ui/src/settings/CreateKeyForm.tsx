/**
 * The form that creates an API key: name, role (with what it may do), all flows or a chosen few,
 * and an optional rate limit. A refusal from the API is shown on the field it names.
 */
import { useId, useState, type FormEvent } from 'react';
import type { CreatedApiKey, FlowSummary, Role } from '../api/types';
import { useApi } from '../auth/AuthContext';
import { ErrorMessage, Spinner } from '../components/common';
import { useT } from '../i18n';
import { formErrors, type Field, type FormErrors } from './form-errors';
import { ROLES } from './roles';

function FieldProblem({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <div id={id} className="field-problem error" role="alert">
      {text}
    </div>
  );
}

export function CreateKeyForm({
  flows,
  flowsError,
  onCreated,
  onCancel,
}: {
  flows: FlowSummary[] | undefined;
  flowsError: unknown;
  onCreated: (key: CreatedApiKey) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const api = useApi();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [limitFlows, setLimitFlows] = useState(false);
  const [flowIds, setFlowIds] = useState<string[]>([]);
  const [rateLimit, setRateLimit] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, other: [] });
  const [error, setError] = useState<unknown>(null);

  const selectable = (flows ?? []).filter((f) => f.status !== 'archived' || flowIds.includes(f.id));
  const roleHint = ROLES.find((r) => r.value === role)!.hint;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || busy) return;
    if (limitFlows && flowIds.length === 0) {
      setError(null);
      setErrors({ fields: { flowIds: t('keys.flows.choose') }, other: [] });
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({ fields: {}, other: [] });
    try {
      const rate = rateLimit.trim();
      const created = await api.createApiKey({
        name: name.trim(),
        role,
        ...(limitFlows ? { flowIds } : {}),
        ...(rate ? { rateLimit: Number(rate) } : {}),
      });
      onCreated(created);
    } catch (err) {
      const placed = formErrors(err);
      if (placed) setErrors(placed);
      else setError(err);
      setBusy(false);
    }
  };

  const toggleFlow = (id: string, on: boolean) => setFlowIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  // Each field: its input, its hint and (after a refused create) the API's message on it.
  const uid = useId();
  const ids = (field: Field) => ({ input: `${uid}-${field}`, hint: `${uid}-${field}-hint`, error: `${uid}-${field}-error` });
  const described = (field: Field) => ({
    'aria-invalid': errors.fields[field] ? true : undefined,
    'aria-describedby': errors.fields[field] ? `${ids(field).error} ${ids(field).hint}` : ids(field).hint,
  });

  return (
    <form className="card form-stack api-key-form" onSubmit={submit} noValidate aria-label={t('keys.new')} data-testid="new-key-form">
      <h2>{t('keys.new')}</h2>
      <div className="field">
        <label className="field-label" htmlFor={ids('name').input}>
          {t('keys.name')}
        </label>
        <input
          id={ids('name').input}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={120}
          autoFocus
          data-testid="new-key-name"
          {...described('name')}
        />
        <span className="field-hint" id={ids('name').hint}>
          {t('keys.nameHint')}
        </span>
        <FieldProblem id={ids('name').error} text={errors.fields.name} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={ids('role').input}>
          {t('keys.role')}
        </label>
        <select id={ids('role').input} value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="new-key-role" {...described('role')}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {t(r.label)}
            </option>
          ))}
        </select>
        <span className="field-hint" id={ids('role').hint}>
          {t(roleHint)}
        </span>
        <FieldProblem id={ids('role').error} text={errors.fields.role} />
      </div>
      <fieldset className="field" aria-describedby={described('flowIds')['aria-describedby']}>
        <legend className="field-label">{t('keys.flows')}</legend>
        <div className="segmented segmented-small">
          <button type="button" className={!limitFlows ? 'active' : undefined} aria-pressed={!limitFlows} onClick={() => setLimitFlows(false)}>
            {t('keys.flows.all')}
          </button>
          <button type="button" className={limitFlows ? 'active' : undefined} aria-pressed={limitFlows} onClick={() => setLimitFlows(true)}>
            {t('keys.flows.limit')}
          </button>
        </div>
        <span className="field-hint" id={ids('flowIds').hint}>
          {t('keys.flows.hint')}
        </span>
        {limitFlows &&
          (flows === undefined && !flowsError ? (
            <Spinner label={t('common.loading')} />
          ) : flowsError ? (
            <ErrorMessage error={flowsError} />
          ) : selectable.length === 0 ? (
            <span className="muted">{t('keys.flows.none')}</span>
          ) : (
            <div className="api-key-flows" data-testid="new-key-flows">
              {selectable.map((f) => (
                <label key={f.id} className="checkbox">
                  <input type="checkbox" checked={flowIds.includes(f.id)} onChange={(e) => toggleFlow(f.id, e.target.checked)} />
                  <span>{f.name}</span>
                </label>
              ))}
            </div>
          ))}
        <FieldProblem id={ids('flowIds').error} text={errors.fields.flowIds} />
      </fieldset>
      <div className="field">
        <label className="field-label" htmlFor={ids('rateLimit').input}>
          {t('keys.rateLimit')}
        </label>
        <input
          id={ids('rateLimit').input}
          type="number"
          inputMode="numeric"
          min={1}
          max={100000}
          step={1}
          value={rateLimit}
          onChange={(e) => setRateLimit(e.target.value)}
          data-testid="new-key-rate"
          className="api-key-rate"
          {...described('rateLimit')}
        />
        <span className="field-hint" id={ids('rateLimit').hint}>
          {t('keys.rateLimitHint')}
        </span>
        <FieldProblem id={ids('rateLimit').error} text={errors.fields.rateLimit} />
      </div>
      {errors.other.length > 0 && (
        <div className="banner banner-error" role="alert">
          {errors.other.join('; ')}
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="api-key-form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
          {busy ? t('keys.creating') : t('keys.create')}
        </button>
      </div>
    </form>
  );
}
