// A run's page shows what a write to the run changed at once, through the query cache. The poll
// that follows an open run is switched off in this file, so only the write can refresh the page.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Run } from '../api/types';
import { fakeApi, renderWith } from '../test/render';
import { RunPage } from './RunPage';

jest.mock('../hooks', () => ({ ...jest.requireActual('../hooks'), useInterval: () => undefined }));

const at = '2026-11-23T10:00:00.000Z';
const RUN = 'run-7c1e0000-0000-4000-8000-000000000001';

const waiting: Run = {
  runId: RUN,
  flowId: null,
  version: null,
  customerId: 'cust-7',
  status: 'waiting',
  outcome: null,
  startKey: null,
  trigger: 'api',
  test: false,
  startedAt: at,
  closedAt: null,
  currentNode: 'human',
  waitingFor: 'agent',
  vars: {},
  customer: null,
  transcript: [],
  path: [{ nodeId: 'human', type: 'escalate', enteredAt: at }],
  escalation: { nodeId: 'human', tier: 0, queue: 'soporte', status: 'waiting', since: at },
  experiments: {},
  stateAvailable: true,
} as unknown as Run;

function runApi() {
  const fake = fakeApi();
  let run: Run = waiting;
  fake.on('GET', `/runs/${RUN}`, () => run);
  fake.on('POST', `/runs/${RUN}/cancel`, () => {
    run = { ...run, status: 'cancelled', closedAt: at, currentNode: null, waitingFor: null } as Run;
    return { runId: RUN, status: 'cancelled' };
  });
  fake.on('POST', `/runs/${RUN}/business-events`, ({ body }) => {
    if (body.type === 'agent.accepted') run = { ...run, escalation: { ...run.escalation!, status: 'accepted', agent: body.data?.agent } } as Run;
    return { status: 202, body: { runId: RUN, type: body.type, accepted: true } };
  });
  const runReads = () => fake.calls.filter((c) => c.method === 'GET' && c.path === `/runs/${RUN}`).length;
  return { fake, runReads };
}

describe('a run after a write', () => {
  it('shows its new status once cancelled, without a poll or a reload', async () => {
    const { fake, runReads } = runApi();
    renderWith(<RunPage runId={RUN} />, fake, { role: 'admin' });
    await waitFor(() => expect(screen.getByTestId('run-page')).toHaveAttribute('data-status', 'waiting'));
    expect(runReads()).toBe(1);

    await userEvent.click(screen.getByRole('button', { name: 'Cancelar la ejecución' }));
    await waitFor(() => expect(screen.getByTestId('run-page')).toHaveAttribute('data-status', 'cancelled'));
    expect(runReads()).toBe(2);
    // Closed: nothing more to cancel.
    expect(screen.queryByRole('button', { name: 'Cancelar la ejecución' })).toBeNull();
  });

  it('shows the escalation accepted once the agent accepts it', async () => {
    const { fake } = runApi();
    renderWith(<RunPage runId={RUN} />, fake, { role: 'operator' });
    const panel = await screen.findByTestId('agent-panel');
    await userEvent.click(within(panel).getByRole('button', { name: 'Aceptar la conversación' }));
    // Accepted: the panel offers the agent's reply box instead of "accept".
    expect(await within(panel).findByPlaceholderText('Escribe como agente…')).toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'Aceptar la conversación' })).toBeNull();
  });
});
