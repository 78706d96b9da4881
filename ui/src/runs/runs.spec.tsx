import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FlowDefinition } from '../../../workflows/language';
import type { Run } from '../api/types';
import { fakeApi, renderWith } from '../test/render';
import { RunPage, takenEdges } from './RunPage';
import { RunsPage } from './RunsPage';

const at = '2026-11-23T10:00:00.000Z';
const FLOW = 'b0000000-0000-4000-8000-000000000001';
const definition: FlowDefinition = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'api' } },
    { id: 'ask', type: 'ask', position: { x: 0, y: 150 }, data: { text: '¿Qué pasa?', variable: 'problem' } },
    { id: 'human', type: 'escalate', position: { x: 0, y: 300 }, data: { tiers: [{ queue: 'soporte', notify: [], sla: '10m' }] } },
    { id: 'end', type: 'end', position: { x: 0, y: 450 }, data: { outcome: 'escalated' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'human' },
    { id: 'e3', source: 'human', sourceHandle: 'resolved', target: 'end' },
    { id: 'e4', source: 'human', sourceHandle: 'returned', target: 'end' },
    { id: 'e5', source: 'human', sourceHandle: 'unresolved', target: 'end' },
  ],
};

const run: Run = {
  runId: 'run-1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  flowId: FLOW,
  version: 2,
  customerId: 'cust-42',
  status: 'running',
  outcome: null,
  startKey: null,
  trigger: 'api',
  test: false,
  startedAt: at,
  closedAt: null,
  currentNode: 'human',
  waitingFor: 'agent',
  vars: { problem: 'me han cobrado dos veces' },
  customer: null,
  transcript: [
    { from: 'bot', text: '¿Qué pasa?', at },
    { from: 'customer', text: 'me han cobrado dos veces', at },
  ],
  path: [
    { nodeId: 'start', type: 'start', enteredAt: at, leftAt: at, branch: 'next' },
    { nodeId: 'ask', type: 'ask', enteredAt: at, leftAt: at, branch: 'reply' },
    { nodeId: 'human', type: 'escalate', enteredAt: at },
  ],
  escalation: { nodeId: 'human', tier: 0, queue: 'soporte', status: 'waiting', since: at },
  experiments: {},
  stateAvailable: true,
};

function api() {
  const fake = fakeApi();
  fake.on('GET', `/runs/${run.runId}`, () => run);
  fake.on('GET', `/flows/${FLOW}/versions/2`, () => ({ flowId: FLOW, version: 2, definition, publishedAt: at, publishedBy: null }));
  fake.on('GET', `/flows/${FLOW}`, () => ({ id: FLOW, name: 'Soporte', draft: definition, status: 'published', latestVersion: 2 }));
  fake.on('GET', '/activities', () => ({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'x' } }));
  return fake;
}

describe('a run', () => {
  it('knows which edges the path took', () => {
    expect([...takenEdges(definition, run.path)]).toEqual(['e1', 'e2']);
  });

  it('draws its path on the graph, with the transcript, the steps and the variables', async () => {
    renderWith(<RunPage runId={run.runId} />, api(), { role: 'editor' });
    await screen.findByTestId('run-graph');
    await waitFor(() => expect(screen.getByTestId('node-human')).toHaveClass('is-active'));
    expect(screen.getByTestId('node-ask')).toHaveClass('is-visited');
    expect(screen.getByTestId('node-end')).not.toHaveClass('is-visited');
    expect(within(screen.getByTestId('run-transcript')).getByText('me han cobrado dos veces')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('run-path'))
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.path-node')?.textContent),
    ).toEqual(['Inicio', 'Preguntar', 'Escalar a una persona']);
    expect(screen.getByText(/"problem": "me han cobrado dos veces"/)).toBeInTheDocument();
    expect(screen.getByText('en directo')).toBeInTheDocument();
    // Editors do not act as agents on real runs.
    expect(screen.queryByTestId('agent-panel')).toBeNull();
  });

  it('lets an operator follow the run on the published graph and accept the escalation', async () => {
    const fake = api();
    fake.on('POST', `/runs/${run.runId}/business-events`, () => ({ status: 202, body: { accepted: true } }));
    renderWith(<RunPage runId={run.runId} />, fake, { role: 'operator' });
    const panel = await screen.findByTestId('agent-panel');
    await screen.findByTestId('run-graph');
    await waitFor(() => expect(screen.getByTestId('node-human')).toHaveClass('is-active'));
    // The published version only: operators do not read drafts or the flow list.
    expect(fake.calls.filter((c) => c.path.startsWith('/flows')).map((c) => c.path)).toEqual([`/flows/${FLOW}/versions/2`]);
    await userEvent.type(within(panel).getByPlaceholderText('Nombre del agente'), 'Marta');
    await userEvent.click(within(panel).getByRole('button', { name: 'Aceptar la conversación' }));
    await waitFor(() => expect(fake.calls.find((c) => c.method === 'POST')?.body).toEqual({ type: 'agent.accepted', data: { agent: 'Marta' } }));
  });

  it('shows a test run of a draft as a list to whoever may not read drafts', async () => {
    const fake = api();
    fake.on('GET', `/runs/${run.runId}`, () => ({ ...run, version: 0, test: true }));
    renderWith(<RunPage runId={run.runId} />, fake, { role: 'operator' });
    expect(await screen.findByText('No se puede mostrar el grafo del flujo')).toBeInTheDocument();
    expect(fake.calls.some((c) => c.path.startsWith('/flows'))).toBe(false);
  });
});

describe('the runs list', () => {
  it('filters by flow, status, period, customer and test runs through the API', async () => {
    const fake = fakeApi();
    fake.on('GET', '/flows', () => ({ items: [{ id: FLOW, name: 'Soporte' }], nextCursor: null }));
    fake.on('GET', '/runs', () => ({ items: [{ ...run, status: 'completed', outcome: 'escalated', closedAt: '2026-11-23T10:05:00.000Z' }], nextCursor: null }));
    renderWith(<RunsPage />, fake, { role: 'editor', path: '/runs' });
    const row = await screen.findByTestId('run-row');
    expect(row).toHaveTextContent('Soporte');
    expect(row).toHaveTextContent('Terminada');
    expect(row).toHaveTextContent('escalated');
    expect(row).toHaveTextContent('5 min 0 s');
    await userEvent.selectOptions(screen.getByLabelText('Estado'), 'failed');
    await userEvent.selectOptions(screen.getByLabelText('Flujo'), FLOW);
    await userEvent.click(screen.getByLabelText('Incluir pruebas'));
    await waitFor(() => {
      const last = fake.calls.filter((c) => c.path === '/runs').at(-1)!;
      expect(Object.fromEntries(last.query)).toMatchObject({ status: 'failed', flowId: FLOW, includeTest: 'true' });
    });
    expect(window.location.search).toContain('status=failed');
  });
});
