/** Test helpers: the app's providers around a component, and a fake API behind the real client. */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { ApiClient } from '../api/client';
import { ApiDataProvider } from '../api/query-client';
import type { Role } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';
import { I18nProvider, type Locale } from '../i18n';
import { RouterProvider } from '../router';

export type Handler = (req: { method: string; path: string; query: URLSearchParams; body: any }) => { status?: number; body?: unknown } | unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FakeApi {
  client: ApiClient;
  calls: { method: string; path: string; query: URLSearchParams; body: unknown; auth: string | null }[];
  on: (method: string, pattern: string | RegExp, handler: Handler) => void;
}

/** A minimal fetch Response (jsdom has none): what the API client reads. */
export function jsonResponse(status: number, body: unknown): Response {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { ok: status >= 200 && status < 300, status, text: async () => text, json: async () => JSON.parse(text) } as unknown as Response;
}

/** Routes are matched in the order they were added; unknown routes answer 404 like the API. */
export function fakeApi(): FakeApi {
  const routes: { method: string; pattern: string | RegExp; handler: Handler }[] = [];
  const calls: FakeApi['calls'] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api/, '');
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization ?? null;
    calls.push({ method, path, query: url.searchParams, body, auth });
    for (const r of [...routes].reverse()) {
      if (r.method !== method) continue;
      const match = typeof r.pattern === 'string' ? r.pattern === path : r.pattern.test(path);
      if (!match) continue;
      const out = r.handler({ method, path, query: url.searchParams, body }) as { status?: number; body?: unknown } | undefined;
      const isEnvelope = out && typeof out === 'object' && ('status' in out || 'body' in out) && Object.keys(out).every((k) => k === 'status' || k === 'body');
      const status = isEnvelope ? (out.status ?? 200) : 200;
      const payload = isEnvelope ? out.body : out;
      return jsonResponse(status, payload);
    }
    return jsonResponse(404, { statusCode: 404, error: 'Not Found', message: `Cannot ${method} /api${path}` });
  };
  return {
    client: new ApiClient({ getKey: () => 'test-key', fetch: fetchImpl as typeof fetch }),
    calls,
    on: (method, pattern, handler) => routes.push({ method, pattern, handler }),
  };
}

export function signInAs(role: Role | null): void {
  sessionStorage.clear();
  localStorage.clear();
  if (role) sessionStorage.setItem('cauce.session', JSON.stringify({ key: 'test-key', role }));
}

export function Providers({ children, api, locale = 'es' }: { children: ReactNode; api: FakeApi; locale?: Locale }) {
  return (
    <I18nProvider initialLocale={locale}>
      <RouterProvider>
        <AuthProvider client={api.client}>
          <ApiDataProvider>{children}</ApiDataProvider>
        </AuthProvider>
      </RouterProvider>
    </I18nProvider>
  );
}

export function renderWith(ui: ReactElement, api: FakeApi, options: { role?: Role | null; locale?: Locale; path?: string } = {}): RenderResult {
  signInAs(options.role === undefined ? 'editor' : options.role);
  window.history.replaceState(null, '', options.path ?? '/');
  return render(
    <Providers api={api} locale={options.locale}>
      {ui}
    </Providers>,
  );
}
