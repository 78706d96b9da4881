/**
 * API keys (admin only): the keys with their role, flow limits, rate limit and use; create one (the
 * secret is shown once, right after), revoke one after an inline confirm.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { ApiKey, CreatedApiKey, FlowSummary, Role } from '../api/types';
import { useApi, useAuth } from '../auth/AuthContext';
import { EmptyState, ErrorMessage, Spinner, useErrorText } from '../components/common';
import { useAction, useAsync } from '../hooks';
import { useFormat, useT, type MessageKey } from '../i18n';

/** In the order the form offers them: the everyday roles first, admin last. */
const ROLES: { value: Role; label: MessageKey; hint: MessageKey }[] = [
  { value: 'editor', label: 'role.editor', hint: 'keys.roleHint.editor' },
  { value: 'operator', label: 'role.operator', hint: 'keys.roleHint.operator' },
  { value: 'system', label: 'role.system', hint: 'keys.roleHint.system' },
  { value: 'admin', label: 'role.admin', hint: 'keys.roleHint.admin' },
];
const ROLE_LABEL = Object.fromEntries(ROLES.map((r) => [r.value, r.label])) as Record<Role, MessageKey>;

const FIELDS = ['name', 'role', 'flowIds', 'rateLimit'] as const;
type Field = (typeof FIELDS)[number];

export interface FormErrors {
  fields: Partial<Record<Field, string>>;
  /** Messages that name no field of the form. */
  other: string[];
}

/**
 * The API's validation messages of a 400, placed on the field each names (`rateLimit must be at
 * least 1`, `flowIds: no flow …`); null for any other error.
 */
export function formErrors(error: unknown): FormErrors | null {
  if (!(error instanceof ApiError) || error.status !== 400 || !error.body) return null;
  const details: unknown = error.body.details;
  const messages: string[] =
    Array.isArray(details) && details.length > 0 && details.every((d) => typeof d === 'string')
      ? details
      : Array.isArray(error.body.message)
        ? error.body.message
        : String(error.body.message ?? '').split('; ');
  const out: FormErrors = { fields: {}, other: [] };
  for (const message of messages.filter(Boolean)) {
    const word = /^([A-Za-z]+)/.exec(message)?.[1] as Field | undefined;
    if (word && FIELDS.includes(word)) out.fields[word] = out.fields[word] ? `${out.fields[word]}; ${message}` : message;
    else out.other.push(message);
  }
  return out;
}

/** Every flow (the API pages by 100), for names and the flow-limit choice. */
async function allFlows(api: ApiClient): Promise<FlowSummary[]> {
  const flows: FlowSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await api.listFlows({ limit: 100, cursor });
    flows.push(...res.items);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return flows;
}

function FieldProblem({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <div id={id} className="field-problem error" role="alert">
      {text}
    </div>
  );
}

function CreateKeyForm({ flows, flowsError, onCreated, onCancel }: { flows: FlowSummary[] | undefined; flowsError: unknown; onCreated: (key: CreatedApiKey) => void; onCancel: () => void }) {
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
        <input id={ids('name').input} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoFocus data-testid="new-key-name" {...described('name')} />
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

/** The new key's secret, this once: a copy button and the warning that it will not come back. */
function NewKeySecret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy('copied');
    } catch {
      setCopy('failed');
      input.current?.select();
    }
  };
  return (
    <section className="card api-key-secret" aria-labelledby="new-key-title" data-testid="new-key-secret">
      <h2 id="new-key-title">{t('keys.created.title', { name: created.name })}</h2>
      <div className="banner banner-info" role="alert">
        {t('keys.created.warning')}
      </div>
      <div className="api-key-secret-row">
        <input ref={input} readOnly value={created.key} className="mono" aria-label={t('keys.secret')} onFocus={(e) => e.target.select()} data-testid="new-key-value" />
        <button type="button" className="btn btn-primary" onClick={doCopy}>
          {copy === 'copied' ? t('keys.copied') : t('keys.copy')}
        </button>
      </div>
      {copy === 'failed' && <div className="text-error">{t('keys.copyFailed')}</div>}
      <div className="api-key-form-actions">
        <button type="button" className="btn" onClick={onDone}>
          {t('keys.done')}
        </button>
      </div>
    </section>
  );
}

function KeyRow({ apiKey, flowNames, own, onChanged }: { apiKey: ApiKey; flowNames: Map<string, string>; own: boolean; onChanged: () => void }) {
  const t = useT();
  const api = useApi();
  const fmt = useFormat();
  const errorText = useErrorText();
  const [confirm, setConfirm] = useState(false);
  const { busy, error, run } = useAction();
  const revoked = apiKey.revokedAt !== null;

  const revoke = () =>
    run(async () => {
      await api.revokeApiKey(apiKey.id);
      setConfirm(false);
      onChanged();
    });

  return (
    <tr data-testid="key-row" data-key-id={apiKey.id} className={revoked ? 'api-key-revoked' : undefined}>
      <td>
        <div className="row-title">
          {apiKey.name}
          {own && <span className="badge badge-small api-key-own">{t('keys.yours')}</span>}
        </div>
        <div className="row-sub">{t('keys.prefix', { prefix: `${apiKey.prefix}…` })}</div>
        {error ? <div className="text-error">{errorText(error)}</div> : null}
      </td>
      <td>
        <span className="badge">{ROLE_LABEL[apiKey.role] ? t(ROLE_LABEL[apiKey.role]) : apiKey.role}</span>
      </td>
      <td>
        {apiKey.flowIds === null ? (
          <span className="muted">{t('keys.flows.all')}</span>
        ) : (
          <ul className="api-key-flow-list">
            {apiKey.flowIds.map((id) => (
              <li key={id} title={id}>
                {flowNames.get(id) ?? <code>{id.slice(0, 8)}</code>}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="num">{apiKey.rateLimit === null ? <span className="muted">{t('keys.rateDefault')}</span> : fmt.number(apiKey.rateLimit)}</td>
      <td className="muted nowrap">{fmt.dateTime(apiKey.createdAt)}</td>
      <td className="muted nowrap">{apiKey.lastUsedAt ? fmt.dateTime(apiKey.lastUsedAt) : t('keys.never')}</td>
      <td className="nowrap">
        {revoked ? (
          <>
            <span className="badge badge-cancelled">{t('keys.status.revoked')}</span>
            <div className="row-sub">{t('keys.revokedAt', { date: fmt.dateTime(apiKey.revokedAt!) })}</div>
          </>
        ) : (
          <span className="badge badge-published">{t('keys.status.active')}</span>
        )}
      </td>
      <td className="row-actions">
        {!revoked && !confirm && (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setConfirm(true)}>
            {t('keys.revoke')}
          </button>
        )}
        {!revoked && confirm && (
          <span className="confirm-inline">
            {own ? t('keys.revokeConfirmOwn') : t('keys.revokeConfirm')}
            <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={revoke}>
              {t('keys.revoke')}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirm(false)}>
              {t('common.cancel')}
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}

function ApiKeysManager() {
  const t = useT();
  const api = useApi();
  const keys = useAsync(() => api.listApiKeys(), []);
  const flows = useAsync(() => allFlows(api), []);
  // Whose session this is, to warn before revoking one's own key (CAUCE_ADMIN_KEY is not listed).
  const me = useAsync(() => api.me().catch(() => null), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const flowNames = new Map((flows.data ?? []).map((f) => [f.id, f.name]));
  const items = keys.data?.items ?? [];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>{t('keys.title')}</h1>
          <p className="muted">{t('keys.subtitle')}</p>
        </div>
        {!creating && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-key">
            {t('keys.new')}
          </button>
        )}
      </div>
      {created && <NewKeySecret created={created} onDone={() => setCreated(null)} />}
      {creating && (
        <CreateKeyForm
          flows={flows.data}
          flowsError={flows.error}
          onCancel={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            keys.reload();
          }}
        />
      )}
      <ErrorMessage error={keys.error} />
      {keys.loading && !keys.data ? (
        <Spinner label={t('common.loading')} />
      ) : keys.error && !keys.data ? null : items.length === 0 ? (
        <EmptyState title={t('keys.empty')} hint={t('keys.emptyHint')} />
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>{t('keys.col.name')}</th>
                <th>{t('keys.col.role')}</th>
                <th>{t('keys.col.flows')}</th>
                <th className="num">{t('keys.col.rateLimit')}</th>
                <th>{t('keys.col.created')}</th>
                <th>{t('keys.col.lastUsed')}</th>
                <th>{t('keys.col.status')}</th>
                <th aria-label={t('common.actions')} />
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <KeyRow key={k.id} apiKey={k} flowNames={flowNames} own={me.data?.id === k.id} onChanged={keys.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ApiKeysPage() {
  const t = useT();
  const { can } = useAuth();
  // Nothing is asked of the API without the permission: the routes are admin-only anyway.
  if (!can('keys.manage')) {
    return (
      <div className="page">
        <EmptyState title={t('keys.notAllowed')} hint={t('keys.notAllowedHint')} testId="keys-not-allowed" />
      </div>
    );
  }
  return <ApiKeysManager />;
}
