import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { busyTotals, experimentReport, kpiReport, threeVariantExperimentReport, trafficReport } from '../test/kpi-fixtures';
import { fakeApi, renderWith } from '../test/render';
import { DashboardPage } from './DashboardPage';

const FLOW = 'c0000000-0000-4000-8000-000000000001';

function api() {
  const fake = fakeApi();
  fake.on('GET', '/flows', () => ({
    items: [{ id: FLOW, name: 'Carrito', status: 'published', latestVersion: 1, description: '', trigger: 'event', createdAt: '', updatedAt: '' }],
    nextCursor: null,
  }));
  fake.on('GET', `/flows/${FLOW}`, () => ({ id: FLOW, name: 'Carrito', latestVersion: 1, draft: { nodes: [], edges: [] } }));
  fake.on('GET', `/flows/${FLOW}/versions/1`, () => ({
    definition: {
      nodes: [
        { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'event', event: 'cart_abandoned' } },
        {
          id: 'split',
          type: 'abSplit',
          position: { x: 0, y: 150 },
          data: {
            experiment: 'copy',
            variants: [
              { id: 'A', weight: 50 },
              { id: 'B', weight: 50 },
            ],
          },
        },
        { id: 'end', type: 'end', position: { x: 0, y: 300 }, data: { outcome: 'converted' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'split' },
        { id: 'e2', source: 'split', sourceHandle: 'A', target: 'end' },
        { id: 'e3', source: 'split', sourceHandle: 'B', target: 'end' },
      ],
    },
  }));
  fake.on('GET', '/runs', () => ({ items: [], nextCursor: null }));
  fake.on('GET', '/activities', () => ({ status: 404, body: {} }));
  return fake;
}

describe('the dashboard', () => {
  it('says "Sin datos todavía" where the KPI API is missing, and invents nothing', async () => {
    renderWith(<DashboardPage />, api(), { role: 'editor', path: '/dashboard' });
    expect(await screen.findByTestId('kpis-empty')).toHaveTextContent('Sin datos todavía');
    expect(await screen.findByTestId('experiments-empty')).toHaveTextContent('Sin datos todavía');
    expect(await screen.findByTestId('traffic-empty')).toHaveTextContent('Sin datos todavía');
    expect(screen.queryByTestId('kpi-cards')).toBeNull();
    await screen.findByTestId('traffic-graph');
  });

  it('renders what the KPI API returns: KPIs, experiments with lift and confidence, traffic per edge', async () => {
    const fake = api();
    fake.on('GET', '/kpis', ({ query }) => {
      expect(query.get('flowId')).toBe(FLOW);
      expect(query.get('interval')).toBe('day');
      return kpiReport(busyTotals);
    });
    fake.on('GET', `/flows/${FLOW}/experiments`, () => experimentReport(FLOW));
    fake.on('GET', `/flows/${FLOW}/traffic`, () => trafficReport(FLOW));
    renderWith(<DashboardPage />, fake, { role: 'editor', path: '/dashboard' });
    const cards = await screen.findByTestId('kpi-cards');
    expect(within(cards).getByText('240')).toBeInTheDocument();
    expect(within(cards).getByText('12,5 %')).toBeInTheDocument();
    expect(within(cards).getByText('4,2 / 5')).toBeInTheDocument();
    expect(within(cards).getByText('850 ms')).toBeInTheDocument();
    expect(within(cards).getByText('2,1 s')).toBeInTheDocument();
    expect(within(cards).getByText('5 min')).toBeInTheDocument();
    expect(within(cards).getByText('80 respuestas')).toBeInTheDocument();
    // ROI was not reported: a dash, not a number.
    expect(cards.querySelector('[data-kpi=roi] .kpi-value')).toHaveTextContent('—');
    expect(screen.getByTestId('outcomes')).toBeInTheDocument();
    const experiments = await screen.findByTestId('experiments');
    expect(within(experiments).getByText('+50 %')).toBeInTheDocument();
    expect(within(experiments).getByText('0.350')).toBeInTheDocument();
    expect(within(experiments).getByText('82 %')).toBeInTheDocument();
    expect(within(experiments).getByTestId('experiment-status')).toHaveTextContent('Sin diferencia significativa');
    // Two variants: one comparison, a 95% interval, no adjusted column.
    expect(within(experiments).getByText('IC 95 % de la diferencia')).toBeInTheDocument();
    expect(within(experiments).queryByText('p ajustada (Holm)')).toBeNull();
    expect(within(experiments).queryByTestId('experiment-correction')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('node-split')).toHaveTextContent('240 entradas'));
    expect(document.querySelector('.react-flow__edge.edge-traffic')).not.toBeNull();
    expect(screen.queryByTestId('traffic-empty')).toBeNull();
  });

  it('shows the raw and the Holm-adjusted p-value, and the widened interval, with more than two variants', async () => {
    const fake = api();
    fake.on('GET', '/kpis', () => kpiReport(busyTotals));
    fake.on('GET', `/flows/${FLOW}/experiments`, () => threeVariantExperimentReport(FLOW));
    fake.on('GET', `/flows/${FLOW}/traffic`, () => trafficReport(FLOW));
    renderWith(<DashboardPage />, fake, { role: 'editor', path: '/dashboard' });
    const experiments = await screen.findByTestId('experiments');
    expect(within(experiments).getByText('IC 97,5 % de la diferencia')).toBeInTheDocument();
    expect(within(experiments).getByText('p ajustada (Holm)')).toBeInTheDocument();
    // B: 0.035 on its own (below 0.05), 0.071 adjusted, which is what decides: not marked significant.
    expect(within(experiments).getByText('0.035')).not.toHaveClass('up');
    const adjusted = within(experiments)
      .getAllByTestId('p-adjusted')
      .map((td) => td.textContent);
    expect(adjusted).toEqual(['—', '0.071', '1.000']);
    expect(
      within(experiments)
        .getAllByTestId('p-adjusted')
        .some((td) => td.classList.contains('up')),
    ).toBe(false);
    expect(within(experiments).getByTestId('experiment-correction')).toHaveTextContent(
      '2 comparaciones con el control: los valores p se ajustan por Holm–Bonferroni y la significación se decide con el ajustado; cada intervalo es al 97,5 %',
    );
    expect(within(experiments).getByText('-0,2 % … 6,2 %')).toBeInTheDocument();
    expect(within(experiments).getByTestId('experiment-status')).toHaveTextContent('Sin diferencia significativa');
  });

  it('asked to refresh, sends the refresh command and then reads the KPIs again', async () => {
    const fake = api();
    let reads = 0;
    fake.on('GET', '/kpis', () => (reads++, kpiReport(busyTotals)));
    fake.on('POST', '/kpis/refresh', () => ({ runs: 3, days: 0, ms: 12 }));
    fake.on('GET', `/flows/${FLOW}/experiments`, () => experimentReport(FLOW));
    fake.on('GET', `/flows/${FLOW}/traffic`, () => trafficReport(FLOW));
    renderWith(<DashboardPage />, fake, { role: 'editor', path: '/dashboard' });
    await screen.findByTestId('kpi-cards');
    const before = reads;
    // Reading never asks the server to refresh.
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByTestId('dashboard-refresh'));
    await waitFor(() => expect(reads).toBeGreaterThan(before));
    const order = fake.calls.map((c) => `${c.method} ${c.path}`);
    const command = order.indexOf('POST /kpis/refresh');
    expect(command).toBeGreaterThanOrEqual(0);
    expect(order.slice(command + 1)).toContain('GET /kpis');
  });
});
