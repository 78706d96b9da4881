/**
 * API keys (admin only): the keys with their role, flow limits, rate limit and use; create one (the
 * secret is shown once, right after), revoke one after an inline confirm.
 */
import { useState } from 'react';
import type { ApiClient } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { CreatedApiKey, FlowSummary } from '../api/types';
import { useApi, useAuth } from '../auth/AuthContext';
import { EmptyState, ErrorMessage, Spinner } from '../components/common';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import { CreateKeyForm } from './CreateKeyForm';
import { KeyRow } from './KeyRow';
import { NewKeySecret } from './NewKeySecret';

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

function ApiKeysManager() {
  const t = useT();
  const api = useApi();
  // Creating or revoking a key refreshes this list through its write (api/query-keys.ts).
  const keys = useAsync(() => api.listApiKeys(), [], queryKeys.apiKeys());
  const flows = useAsync(() => allFlows(api), [], queryKeys.flows.all());
  // Whose session this is, to warn before revoking one's own key (CAUCE_ADMIN_KEY is not listed).
  const me = useAsync(() => api.me().catch(() => null), [], queryKeys.me());
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
                <KeyRow key={k.id} apiKey={k} flowNames={flowNames} own={me.data?.id === k.id} />
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
