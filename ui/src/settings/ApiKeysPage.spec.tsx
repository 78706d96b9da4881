import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApiKey, FlowSummary, Role } from '../api/types';
import { Layout } from '../components/Layout';
import { fakeApi, renderWith } from '../test/render';
import { ApiKeysPage } from './ApiKeysPage';

const FLOW_A = 'a0000000-0000-4000-8000-000000000001';
const FLOW_B = 'a0000000-0000-4000-8000-000000000002';
const GONE = 'a0000000-0000-4000-8000-0000000000ff';

const flows: FlowSummary[] = [
  {
    id: FLOW_A,
    name: 'Soporte: triaje',
    description: '',
    status: 'published',
    latestVersion: 3,
    trigger: 'message',
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
  },
  {
    id: FLOW_B,
    name: 'Carrito abandonado',
    description: '',
    status: 'draft',
    latestVersion: null,
    trigger: 'event',
    createdAt: '2026-11-02T10:00:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
  },
];

function key(over: Partial<ApiKey>): ApiKey {
  return {
    id: 'k',
    name: 'k',
    role: 'system',
    prefix: 'cauce_abcdef',
    flowIds: null,
    rateLimit: null,
    createdBy: 'admin',
    createdAt: '2026-11-01T10:00:00Z',
    lastUsedAt: null,
    revokedAt: null,
    ...over,
  };
}

function api(
  initial: ApiKey[] = [
    key({ id: 'b0000000-0000-4000-8000-000000000001', name: 'tienda web', role: 'system', prefix: 'cauce_Shop12', flowIds: [FLOW_A, GONE], rateLimit: 20 }),
    key({ id: 'b0000000-0000-4000-8000-000000000002', name: 'Lucía (CX)', role: 'editor', prefix: 'cauce_Lucia1', lastUsedAt: '2026-11-22T09:30:00Z' }),
    key({ id: 'b0000000-0000-4000-8000-000000000003', name: 'antiguo CRM', role: 'operator', prefix: 'cauce_OldCrm', revokedAt: '2026-11-10T08:00:00Z' }),
  ],
) {
  const fake = fakeApi();
  const keys = [...initial];
  fake.on('GET', '/me', () => ({ id: 'admin', name: 'CAUCE_ADMIN_KEY', role: 'admin', flowIds: null, rateLimit: 50 }));
  fake.on('GET', '/flows', () => ({ items: flows, nextCursor: null }));
  fake.on('GET', '/api-keys', () => ({ items: keys }));
  fake.on('DELETE', /^\/api-keys\/[^/]+$/, ({ path }) => {
    const i = keys.findIndex((k) => k.id === path.split('/').pop());
    if (i < 0) return { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'API key not found' } };
    keys[i] = { ...keys[i], revokedAt: keys[i].revokedAt ?? '2026-11-23T12:00:00Z' };
    return keys[i];
  });
  return { fake, keys };
}

const rowOf = (name: string) => screen.getAllByTestId('key-row').find((r) => within(r).queryByText(name))!;

describe('the API keys page', () => {
  it('lists every key with its role, flows, rate limit, use and revoked state', async () => {
    const { fake } = api();
    renderWith(<ApiKeysPage />, fake, { role: 'admin' });
    const rows = await screen.findAllByTestId('key-row');
    expect(rows).toHaveLength(3);

    const shop = rowOf('tienda web');
    expect(within(shop).getByText('Sistema')).toBeInTheDocument();
    expect(within(shop).getByText('empieza por cauce_Shop12…')).toBeInTheDocument();
    // Flow names from the flows list; an id the list does not know stays an id.
    expect(await within(shop).findByText('Soporte: triaje')).toBeInTheDocument();
    expect(within(shop).getByText(GONE.slice(0, 8))).toBeInTheDocument();
    expect(within(shop).getByText('20')).toBeInTheDocument();
    expect(within(shop).getByText('nunca')).toBeInTheDocument();
    expect(within(shop).getByText('Activa')).toBeInTheDocument();
    expect(within(shop).getByRole('button', { name: 'Revocar' })).toBeInTheDocument();

    const lucia = rowOf('Lucía (CX)');
    expect(within(lucia).getByText('Edición')).toBeInTheDocument();
    expect(within(lucia).getByText('Todos los flujos')).toBeInTheDocument();
    expect(within(lucia).getByText('por defecto')).toBeInTheDocument();
    expect(within(lucia).queryByText('nunca')).not.toBeInTheDocument();

    const old = rowOf('antiguo CRM');
    expect(within(old).getByText('Revocada')).toBeInTheDocument();
    expect(within(old).queryByRole('button', { name: 'Revocar' })).not.toBeInTheDocument();
  });

  it('says when there are no keys yet', async () => {
    renderWith(<ApiKeysPage />, api([]).fake, { role: 'admin' });
    expect(await screen.findByText('Todavía no hay claves.')).toBeInTheDocument();
  });

  it('creates a key and shows its secret once, with a copy button and a warning', async () => {
    const user = userEvent.setup();
    const { fake, keys } = api();
    const secret = 'cauce_S3cr3t-only-shown-once-0123456789abcdef';
    fake.on('POST', '/api-keys', ({ body }) => {
      const created = key({
        id: 'b0000000-0000-4000-8000-000000000009',
        name: body.name,
        role: body.role,
        flowIds: body.flowIds ?? null,
        rateLimit: body.rateLimit ?? null,
        prefix: secret.slice(0, 12),
        createdAt: '2026-11-23T12:00:00Z',
      });
      keys.unshift(created);
      return { status: 201, body: { ...created, key: secret } };
    });
    renderWith(<ApiKeysPage />, fake, { role: 'admin' });
    await screen.findAllByTestId('key-row');

    await user.click(screen.getByTestId('new-key'));
    const form = screen.getByTestId('new-key-form');
    await user.type(within(form).getByLabelText('Nombre'), 'help desk');
    await user.selectOptions(within(form).getByLabelText('Rol'), 'Sistema');
    expect(within(form).getByText('Integraciones: iniciar ejecuciones y enviar mensajes y eventos.')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Solo algunos flujos' }));
    await user.click(await within(form).findByLabelText('Carrito abandonado'));
    await user.type(within(form).getByLabelText('Límite de peticiones por segundo'), '20');
    await user.click(within(form).getByRole('button', { name: 'Crear clave' }));

    const shown = await screen.findByTestId('new-key-secret');
    expect(fake.calls.find((c) => c.method === 'POST' && c.path === '/api-keys')?.body).toEqual({
      name: 'help desk',
      role: 'system',
      flowIds: [FLOW_B],
      rateLimit: 20,
    });
    expect(within(shown).getByText('Clave «help desk» creada')).toBeInTheDocument();
    expect(within(shown).getByText(/no se volverá a mostrar/)).toBeInTheDocument();
    expect(within(shown).getByLabelText('La nueva clave de API')).toHaveValue(secret);
    expect(screen.queryByTestId('new-key-form')).not.toBeInTheDocument();

    await user.click(within(shown).getByRole('button', { name: 'Copiar' }));
    expect(await navigator.clipboard.readText()).toBe(secret);
    expect(within(shown).getByRole('button', { name: 'Copiada' })).toBeInTheDocument();

    // The create's write refreshes the list (one read more, asked by nobody else): it shows the new
    // key by its prefix only.
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(4));
    expect(fake.calls.filter((c) => c.method === 'GET' && c.path === '/api-keys')).toHaveLength(2);
    const row = rowOf('help desk');
    expect(within(row).getByText('Carrito abandonado')).toBeInTheDocument();
    expect(row).not.toHaveTextContent(secret);

    // Once dismissed, the secret is gone for good.
    await user.click(within(shown).getByRole('button', { name: 'Ya la he guardado' }));
    expect(screen.queryByTestId('new-key-secret')).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(secret);
    expect(screen.queryByDisplayValue(secret)).not.toBeInTheDocument();
  });

  it('shows the API’s validation errors next to the fields they name', async () => {
    const { fake } = api();
    fake.on('POST', '/api-keys', () => ({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'rateLimit must be an integer; property scope should not exist',
        details: ['rateLimit must be an integer', 'property scope should not exist'],
      },
    }));
    renderWith(<ApiKeysPage />, fake, { role: 'admin' });
    await userEvent.click(await screen.findByTestId('new-key'));
    const form = screen.getByTestId('new-key-form');
    await userEvent.type(within(form).getByLabelText('Nombre'), 'tienda');
    await userEvent.type(within(form).getByLabelText('Límite de peticiones por segundo'), '1.5');
    await userEvent.click(within(form).getByRole('button', { name: 'Crear clave' }));

    const rate = within(form).getByLabelText('Límite de peticiones por segundo');
    await waitFor(() => expect(rate).toHaveAttribute('aria-invalid', 'true'));
    expect(rate.closest('.field')).toHaveTextContent('rateLimit must be an integer');
    expect(rate).toHaveAccessibleDescription(expect.stringContaining('rateLimit must be an integer'));
    expect(within(form).getByLabelText('Nombre')).not.toHaveAttribute('aria-invalid');
    // What names no field of the form goes under it.
    expect(within(form).getByText('property scope should not exist')).toBeInTheDocument();
    expect(screen.queryByTestId('new-key-secret')).not.toBeInTheDocument();
    expect(fake.calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'tienda', role: 'editor', rateLimit: 1.5 });
  });

  it('places an unknown flow on the flows field, and asks for a flow before sending an empty limit', async () => {
    const { fake } = api();
    fake.on('POST', '/api-keys', () => ({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: `flowIds: no flow ${FLOW_B}` } }));
    renderWith(<ApiKeysPage />, fake, { role: 'admin' });
    await userEvent.click(await screen.findByTestId('new-key'));
    const form = screen.getByTestId('new-key-form');
    await userEvent.type(within(form).getByLabelText('Nombre'), 'tienda');
    await userEvent.click(within(form).getByRole('button', { name: 'Solo algunos flujos' }));
    await within(form).findByLabelText('Carrito abandonado');
    await userEvent.click(within(form).getByRole('button', { name: 'Crear clave' }));
    const flowsField = within(form).getByRole('group', { name: 'Flujos' });
    expect(within(flowsField).getByRole('alert')).toHaveTextContent('Elige al menos un flujo, o permite todos.');
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);

    await userEvent.click(within(form).getByLabelText('Carrito abandonado'));
    await userEvent.click(within(form).getByRole('button', { name: 'Crear clave' }));
    await waitFor(() => expect(within(flowsField).getByRole('alert')).toHaveTextContent(`flowIds: no flow ${FLOW_B}`));
  });

  it('revokes a key after an inline confirm', async () => {
    const { fake } = api();
    renderWith(<ApiKeysPage />, fake, { role: 'admin' });
    await screen.findAllByTestId('key-row');
    const shop = rowOf('tienda web');
    await userEvent.click(within(shop).getByRole('button', { name: 'Revocar' }));
    expect(within(shop).getByText('¿Revocar? Dejará de funcionar en unos segundos.')).toBeInTheDocument();
    expect(fake.calls.some((c) => c.method === 'DELETE')).toBe(false);

    // Cancel keeps it; confirming revokes it.
    await userEvent.click(within(shop).getByRole('button', { name: 'Cancelar' }));
    expect(within(shop).queryByText(/¿Revocar\?/)).not.toBeInTheDocument();
    await userEvent.click(within(shop).getByRole('button', { name: 'Revocar' }));
    await userEvent.click(within(shop).getByRole('button', { name: 'Revocar' }));
    // The revoke's write refreshes the list.
    await waitFor(() => expect(within(rowOf('tienda web')).getByText('Revocada')).toBeInTheDocument());
    expect(fake.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api-keys/b0000000-0000-4000-8000-000000000001']);
    expect(within(rowOf('tienda web')).queryByRole('button', { name: 'Revocar' })).not.toBeInTheDocument();
  });

  it('warns before revoking the key of the session itself', async () => {
    const { fake } = api();
    fake.on('GET', '/me', () => ({ id: 'b0000000-0000-4000-8000-000000000002', name: 'Lucía (CX)', role: 'admin', flowIds: null, rateLimit: 50 }));
    renderWith(<ApiKeysPage />, fake, { role: 'admin' });
    await screen.findAllByTestId('key-row');
    const own = rowOf('Lucía (CX)');
    expect(await within(own).findByText('tu clave')).toBeInTheDocument();
    await userEvent.click(within(own).getByRole('button', { name: 'Revocar' }));
    expect(within(own).getByText(/al revocarla saldrás de la sesión/)).toBeInTheDocument();
  });

  it('speaks English too', async () => {
    renderWith(<ApiKeysPage />, api().fake, { role: 'admin', locale: 'en' });
    expect(await screen.findByRole('heading', { name: 'API keys' })).toBeInTheDocument();
    const shop = (await screen.findAllByTestId('key-row'))[0];
    expect(within(shop).getByText('System')).toBeInTheDocument();
    expect(within(shop).getByText('never')).toBeInTheDocument();
    expect(within(shop).getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
  });
});

describe('API keys are for admins only', () => {
  it('puts the entry in the navigation for admins', () => {
    renderWith(<Layout>x</Layout>, fakeApi(), { role: 'admin' });
    const nav = screen.getByRole('navigation', { name: 'Navegación principal' });
    expect(within(nav).getByRole('link', { name: 'Claves de API' })).toHaveAttribute('href', '/settings/api-keys');
  });

  it.each<Role>(['editor', 'operator', 'system'])('neither shows the entry nor the page to %s keys', (role) => {
    const { fake } = api();
    renderWith(
      <Layout>
        <ApiKeysPage />
      </Layout>,
      fake,
      { role, path: '/settings/api-keys' },
    );
    const nav = screen.getByRole('navigation', { name: 'Navegación principal' });
    expect(within(nav).queryByRole('link', { name: 'Claves de API' })).not.toBeInTheDocument();
    expect(screen.getByTestId('keys-not-allowed')).toHaveTextContent('Solo administración puede gestionar las claves de API.');
    expect(screen.queryByTestId('new-key')).not.toBeInTheDocument();
    expect(fake.calls).toEqual([]);
  });
});
