import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { ApiDataProvider } from './api/query-client';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { SignInPage } from './auth/SignInPage';
import { EmptyState, Spinner } from './components/common';
import { Layout } from './components/Layout';
import { FlowsPage } from './flows/FlowsPage';
import { I18nProvider, useT } from './i18n';
import { matchPath, RouterProvider, useRouter } from './router';
import { RunsPage } from './runs/RunsPage';
import './styles.css';

// The heavy pages (canvas, charts) load on demand, so the first screen stays small.
const EditorPage = lazy(() => import('./editor/EditorPage').then((m) => ({ default: m.EditorPage })));
const RunPage = lazy(() => import('./runs/RunPage').then((m) => ({ default: m.RunPage })));
const DashboardPage = lazy(() => import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const ApiKeysPage = lazy(() => import('./settings/ApiKeysPage').then((m) => ({ default: m.ApiKeysPage })));

function Routes() {
  const { path, navigate } = useRouter();
  const { can } = useAuth();
  const t = useT();
  const home = can('flows.read') ? '/flows' : '/runs';
  useEffect(() => {
    if (path === '/' || path === '') navigate(home, { replace: true });
  }, [path, home, navigate]);

  let page: ReactNode = null;
  let params: Record<string, string> | null;
  if (path === '/flows' && can('flows.read')) page = <FlowsPage />;
  else if ((params = matchPath('/flows/:id', path)) && can('flows.read')) page = <EditorPage key={params.id} flowId={params.id} />;
  else if (path === '/runs' && can('runs.read')) page = <RunsPage />;
  else if ((params = matchPath('/runs/:runId', path)) && can('runs.read')) page = <RunPage key={params.runId} runId={params.runId} />;
  else if (path === '/dashboard' && can('dashboard.read')) page = <DashboardPage />;
  // Admin only; the page itself says so to anyone else rather than "not found".
  else if (path === '/settings/api-keys') page = <ApiKeysPage />;
  else if (path !== '/' && path !== '') page = <EmptyState title={t('error.pageNotFound')} />;
  return (
    <Suspense
      fallback={
        <div className="page-loading">
          <Spinner label={t('common.loading')} />
        </div>
      }
    >
      {page}
    </Suspense>
  );
}

function Shell() {
  const { session } = useAuth();
  if (!session) return <SignInPage />;
  return (
    <Layout>
      <Routes />
    </Layout>
  );
}

export function App() {
  return (
    <I18nProvider>
      <RouterProvider>
        <AuthProvider>
          <ApiDataProvider>
            <Shell />
          </ApiDataProvider>
        </AuthProvider>
      </RouterProvider>
    </I18nProvider>
  );
}
