import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthProvider } from './auth/AuthContext';
import { SignInPage } from './auth/SignInPage';
import { Layout } from './components/Layout';
import { I18nProvider } from './i18n';
import { RouterProvider } from './router';
import { fakeApi, renderWith, signInAs } from './test/render';

function roleApi(role: string) {
  const api = fakeApi();
  api.on('GET', '/me', () => ({ id: `key-${role}`, name: `clave ${role}`, role, flowIds: null, rateLimit: 50 }));
  api.on('GET', '/flows', () => ({ items: [], nextCursor: null }));
  return api;
}

function Shell({ api }: { api: ReturnType<typeof fakeApi> }) {
  return (
    <I18nProvider initialLocale="es">
      <RouterProvider>
        <AuthProvider client={api.client}>
          <Gate />
        </AuthProvider>
      </RouterProvider>
    </I18nProvider>
  );
}

function Gate() {
  // The app's shell in miniature: sign-in page, or the layout with its navigation.
  const session = sessionStorage.getItem('cauce.session') ?? localStorage.getItem('cauce.session');
  return session ? <Layout>contenido</Layout> : <SignInPage />;
}

describe('sign-in and roles', () => {
  beforeEach(() => signInAs(null));

  it('signs in with an API key, learns its role and offers only what it may do', async () => {
    const api = roleApi('operator');
    const { rerender } = render(<Shell api={api} />);
    await userEvent.type(screen.getByTestId('api-key'), 'cauce_operator');
    await userEvent.click(screen.getByRole('button', { name: 'Entrar' }));
    await waitFor(() => expect(sessionStorage.getItem('cauce.session')).toContain('"role":"operator"'));
    rerender(<Shell api={api} />);
    const nav = screen.getByRole('navigation', { name: 'Navegación principal' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Ejecuciones']);
    expect(screen.getByTestId('role-badge')).toHaveTextContent('Agente');
    expect(api.calls.every((c) => c.auth === 'Bearer cauce_operator')).toBe(true);
    // The role comes from GET /me, not from trying routes.
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me']);
  });

  it('gives editors the flows, runs and dashboard', () => {
    renderWith(<Layout>x</Layout>, roleApi('editor'), { role: 'editor' });
    const nav = screen.getByRole('navigation', { name: 'Navegación principal' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Flujos', 'Ejecuciones', 'Panel']);
  });

  it('says when a key is unknown', async () => {
    const api = fakeApi();
    api.on('GET', '/me', () => ({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Unknown or revoked API key' } }));
    render(<Shell api={api} />);
    await userEvent.type(screen.getByTestId('api-key'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Entrar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('La clave no es válida o ha sido revocada.');
    expect(sessionStorage.getItem('cauce.session')).toBeNull();
  });

  it('remembers the key across browser sessions only when asked', async () => {
    const api = roleApi('editor');
    render(<Shell api={api} />);
    await userEvent.type(screen.getByTestId('api-key'), 'cauce_editor');
    await userEvent.click(screen.getByLabelText('Recordar en este navegador'));
    await userEvent.click(screen.getByRole('button', { name: 'Entrar' }));
    await waitFor(() => expect(localStorage.getItem('cauce.session')).toContain('"role":"editor"'));
    expect(sessionStorage.getItem('cauce.session')).toBeNull();
  });

  it('switches the whole UI to English', async () => {
    renderWith(<Layout>x</Layout>, roleApi('editor'), { role: 'editor' });
    await userEvent.click(screen.getByTestId('language-switch'));
    expect(screen.getByRole('navigation', { name: 'Main navigation' })).toHaveTextContent('FlowsRunsDashboard');
    expect(screen.getByTestId('language-switch')).toHaveTextContent('Español');
  });
});
