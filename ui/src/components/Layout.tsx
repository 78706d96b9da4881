import type { ReactNode } from 'react';
import { useAuth } from '../auth/AuthContext';
import { useLocale, useT, type MessageKey } from '../i18n';
import { Link, useRouter } from '../router';

const ROLE_LABEL: Record<string, MessageKey> = { admin: 'role.admin', editor: 'role.editor', operator: 'role.operator', system: 'role.system' };

export function LanguageSwitch() {
  const [locale, setLocale] = useLocale();
  const t = useT();
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small"
      onClick={() => setLocale(locale === 'es' ? 'en' : 'es')}
      data-testid="language-switch"
      title={t('nav.language')}
    >
      {locale === 'es' ? 'English' : 'Español'}
    </button>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const { can, role, signOut } = useAuth();
  const { path } = useRouter();
  const items: { to: string; label: MessageKey; show: boolean }[] = [
    { to: '/flows', label: 'nav.flows', show: can('flows.read') },
    { to: '/runs', label: 'nav.runs', show: can('runs.read') },
    { to: '/dashboard', label: 'nav.dashboard', show: can('dashboard.read') },
    { to: '/settings/api-keys', label: 'nav.apiKeys', show: can('keys.manage') },
  ];
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Cauce">
          <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
            <path
              d="M3 6c4 0 4 4 8 4s4-4 8-4M3 12c4 0 4 4 8 4s4-4 8-4M3 18c4 0 4 4 8 4"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.2"
              strokeLinecap="round"
            />
          </svg>
          <span>Cauce</span>
        </Link>
        <nav className="nav" aria-label={t('nav.main')}>
          {items
            .filter((i) => i.show)
            .map((i) => (
              <Link key={i.to} to={i.to} className={path.startsWith(i.to) ? 'active' : undefined} aria-current={path.startsWith(i.to) ? 'page' : undefined}>
                {t(i.label)}
              </Link>
            ))}
        </nav>
        <div className="topbar-right">
          {role && (
            <span className="role-badge" data-testid="role-badge">
              {t(ROLE_LABEL[role])}
            </span>
          )}
          <LanguageSwitch />
          <button type="button" className="btn btn-ghost btn-small" onClick={signOut}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main className="main">{children}</main>
    </div>
  );
}
