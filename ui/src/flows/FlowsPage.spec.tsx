import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FlowSummary } from '../api/types';
import { kpiReport, kpiValues } from '../test/kpi-fixtures';
import { fakeApi, renderWith } from '../test/render';
import { resetKpiProbe } from './FlowActivity';
import { FlowsPage } from './FlowsPage';

const flows: FlowSummary[] = [
  {
    id: 'a0000000-0000-4000-8000-000000000001',
    name: 'Soporte: triaje',
    description: 'Chat de soporte',
    status: 'published',
    latestVersion: 3,
    trigger: 'message',
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
  },
  {
    id: 'a0000000-0000-4000-8000-000000000002',
    name: 'Carrito abandonado',
    description: '',
    status: 'draft',
    latestVersion: null,
    trigger: 'event',
    createdAt: '2026-11-02T10:00:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
  },
];

function api() {
  const fake = fakeApi();
  fake.on('GET', '/flows', ({ query }) => {
    const q = (query.get('q') ?? '').toLowerCase();
    const status = query.get('status');
    return { items: flows.filter((f) => f.name.toLowerCase().includes(q) && (!status || f.status === status)), nextCursor: null };
  });
  fake.on('GET', '/runs', () => ({
    items: [{ runId: 'run-1', flowId: flows[0].id, startedAt: new Date().toISOString(), status: 'completed' }],
    nextCursor: null,
  }));
  return fake;
}

describe('the flows list', () => {
  beforeEach(() => resetKpiProbe());

  it('shows each flow with its status, latest version and activity', async () => {
    renderWith(<FlowsPage />, api());
    const rows = await screen.findAllByTestId('flow-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Publicado')).toBeInTheDocument();
    expect(within(rows[0]).getByText('v3')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Borrador')).toBeInTheDocument();
    expect(within(rows[1]).getByText('sin publicar')).toBeInTheDocument();
    // No KPI API yet: the sparkline falls back to runs per day; a flow never published says so.
    expect(await within(rows[0]).findByRole('img', { name: 'ejecuciones/día' })).toBeInTheDocument();
    expect(within(rows[1]).getByText('Sin datos todavía')).toBeInTheDocument();
  });

  it('draws runs per day from the KPI API when it answers', async () => {
    const fake = api();
    const today = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString();
    fake.on('GET', '/kpis', ({ query }) => {
      expect(query.get('interval')).toBe('day');
      return kpiReport(kpiValues({ runs: 7 }), [{ ...kpiValues({ runs: 7 }), flowId: null, version: null, period: today }]);
    });
    renderWith(<FlowsPage />, fake);
    const rows = await screen.findAllByTestId('flow-row');
    const spark = await within(rows[0]).findByRole('img', { name: 'ejecuciones/día' });
    expect(spark.closest('.spark')).toHaveAttribute('title', 'ejecuciones/día: 7');
    expect(fake.calls.some((c) => c.path === '/runs')).toBe(false);
  });

  it('searches and filters by status through the API', async () => {
    const fake = api();
    renderWith(<FlowsPage />, fake);
    await screen.findAllByTestId('flow-row');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Buscar flujos…' }), 'carrito');
    await waitFor(() => expect(screen.getAllByTestId('flow-row')).toHaveLength(1));
    expect(fake.calls.some((c) => c.path === '/flows' && c.query.get('q') === 'carrito')).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Publicado' }));
    await waitFor(() => expect(screen.getByText('Ningún flujo coincide con la búsqueda.')).toBeInTheDocument());
  });

  it('duplicates and archives (after confirming)', async () => {
    const fake = api();
    fake.on('POST', /\/duplicate$/, ({ body }) => ({ ...flows[0], id: 'copy', name: body.name }));
    fake.on('POST', /\/archive$/, () => ({ ...flows[0], status: 'archived' }));
    renderWith(<FlowsPage />, fake);
    const [first] = await screen.findAllByTestId('flow-row');
    await userEvent.click(within(first).getByRole('button', { name: 'Duplicar' }));
    await waitFor(() => expect(fake.calls.find((c) => c.path.endsWith('/duplicate'))?.body).toEqual({ name: 'Soporte: triaje (copia)' }));
    await userEvent.click(within(first).getByRole('button', { name: 'Archivar' }));
    expect(within(first).getByText('¿Archivar? No se iniciarán más ejecuciones.')).toBeInTheDocument();
    await userEvent.click(within(first).getAllByRole('button', { name: 'Archivar' })[0]);
    await waitFor(() => expect(fake.calls.some((c) => c.path.endsWith('/archive'))).toBe(true));
  });

  it('shows the copy in the list once duplicated, without a refresh', async () => {
    const fake = api();
    const listed = [...flows];
    fake.on('GET', '/flows', () => ({ items: listed, nextCursor: null }));
    fake.on('POST', /\/duplicate$/, ({ body }) => {
      const copy = { ...flows[0], id: 'a0000000-0000-4000-8000-0000000000c1', name: body.name, status: 'draft' as const, latestVersion: null };
      listed.unshift(copy);
      return { status: 201, body: copy };
    });
    renderWith(<FlowsPage />, fake);
    const [first] = await screen.findAllByTestId('flow-row');
    await userEvent.click(within(first).getByRole('button', { name: 'Duplicar' }));
    await waitFor(() => expect(screen.getAllByTestId('flow-row')).toHaveLength(3));
    expect(within(screen.getAllByTestId('flow-row')[0]).getByText('Soporte: triaje (copia)')).toBeInTheDocument();
  });

  it('creates a flow from an example, without editor positions so the editor lays it out', async () => {
    const fake = api();
    fake.on('POST', '/flows', ({ body }) => ({ status: 201, body: { ...flows[1], id: 'new', name: body.name, draft: body.definition } }));
    renderWith(<FlowsPage />, fake);
    await userEvent.click(await screen.findByTestId('new-flow'));
    await userEvent.type(screen.getByTestId('new-flow-name'), 'Mi triaje');
    await userEvent.click(screen.getByLabelText('Ejemplo: triaje de soporte'));
    await userEvent.click(screen.getByRole('button', { name: 'Crear y abrir' }));
    await waitFor(() => expect(window.location.pathname).toBe('/flows/new'));
    const created = fake.calls.find((c) => c.method === 'POST' && c.path === '/flows')!.body as {
      name: string;
      definition: { nodes: { position?: unknown }[] };
    };
    expect(created.name).toBe('Mi triaje');
    expect(created.definition.nodes.length).toBeGreaterThan(5);
    expect(created.definition.nodes.every((n) => n.position === undefined)).toBe(true);
  });
});
