/**
 * One API key in the list: role, flows, rate limit, dates, status, and revoke after an inline
 * confirm. A revoke refreshes the list through its write (api/query-keys.ts).
 */
import { useState } from 'react';
import type { ApiKey } from '../api/types';
import { useApi } from '../auth/AuthContext';
import { useErrorText } from '../components/common';
import { useAction } from '../hooks';
import { useFormat, useT } from '../i18n';
import { ROLE_LABEL } from './roles';

export function KeyRow({ apiKey, flowNames, own }: { apiKey: ApiKey; flowNames: Map<string, string>; own: boolean }) {
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
