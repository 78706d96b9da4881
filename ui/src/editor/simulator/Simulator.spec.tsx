import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Run } from '../../api/types';
import { fakeApi, renderWith } from '../../test/render';
import { Simulator, type SimulationState } from './Simulator';

const at = '2026-11-23T10:00:00.000Z';

function runState(over: Partial<Run>): Run {
  return {
    runId: 'run-t1',
    flowId: 'f1',
    version: 0,
    customerId: null,
    status: 'waiting',
    outcome: null,
    startKey: null,
    trigger: 'test',
    test: true,
    startedAt: at,
    closedAt: null,
    currentNode: 'ask',
    waitingFor: 'reply',
    vars: {},
    customer: null,
    transcript: [],
    path: [],
    experiments: {},
    stateAvailable: true,
    ...over,
  };
}

describe('the simulator', () => {
  it('saves the draft, starts a test run and chats through an escalation to an agent', async () => {
    const api = fakeApi();
    let state = runState({
      transcript: [{ from: 'bot', text: '¿En qué te ayudo?', at }],
      path: [
        { nodeId: 'start', type: 'start', enteredAt: at, branch: 'next' },
        { nodeId: 'ask', type: 'ask', enteredAt: at },
      ],
    });
    api.on('POST', '/flows/f1/test-runs', () => ({
      status: 201,
      body: {
        runId: 'run-t1',
        flowId: 'f1',
        version: 0,
        status: 'waiting',
        created: true,
        test: true,
        replies: [{ from: 'bot', text: '¿En qué te ayudo?', at }],
      },
    }));
    api.on('GET', '/runs/run-t1', () => state);
    api.on('POST', '/runs/run-t1/messages', ({ body }) => {
      state = runState({
        currentNode: 'human',
        waitingFor: 'agent',
        escalation: { nodeId: 'human', tier: 0, queue: 'soporte', status: 'waiting', since: at },
        transcript: [...state.transcript, { from: 'customer', text: body.text, at }, { from: 'bot', text: 'Te paso con una persona.', at }],
        path: [...state.path.slice(0, 1), { nodeId: 'ask', type: 'ask', enteredAt: at, branch: 'reply' }, { nodeId: 'human', type: 'escalate', enteredAt: at }],
      });
      return {
        runId: 'run-t1',
        replies: [{ from: 'bot', text: 'Te paso con una persona.', at }],
        status: 'waiting',
        waitingFor: 'agent',
        currentNode: 'human',
      };
    });
    api.on('POST', '/runs/run-t1/business-events', ({ body }) => {
      if (body.type === 'agent.accepted') state = { ...state, escalation: { ...state.escalation!, status: 'accepted', agent: body.data.agent } };
      if (body.type === 'agent.resolved') state = { ...state, status: 'completed', outcome: 'escalated', waitingFor: null, currentNode: null };
      return { status: 202, body: { runId: 'run-t1', type: body.type, accepted: true } };
    });
    const ensureSaved = jest.fn(async () => true);
    const states: (SimulationState | null)[] = [];
    renderWith(
      <Simulator
        flowId="f1"
        ensureSaved={ensureSaved}
        onState={(s) => states.push(s)}
        nodeName={(id) => ({ human: 'Pasar a un agente', ask: 'Preguntar' })[id] ?? id}
        onProblems={() => undefined}
      />,
      api,
    );

    await userEvent.click(screen.getByTestId('sim-start'));
    expect(ensureSaved).toHaveBeenCalled();
    expect(await screen.findByText('¿En qué te ayudo?')).toBeInTheDocument();
    await waitFor(() => expect(states.at(-1)?.currentNode).toBe('ask'));

    await userEvent.type(screen.getByTestId('sim-message'), 'Quiero hablar con un humano');
    await userEvent.click(screen.getByTestId('sim-send'));
    expect(await screen.findByText('Te paso con una persona.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('sim-status')).toHaveAttribute('data-waiting', 'agent'));
    expect(screen.getByTestId('sim-status')).toHaveTextContent('Esperando a un agente');
    expect(screen.getByTestId('sim-status')).toHaveTextContent('Pasar a un agente');
    await waitFor(() => expect(states.at(-1)).toMatchObject({ currentNode: 'human' }));
    expect(states.at(-1)?.path.map((p) => p.nodeId)).toEqual(['start', 'ask', 'human']);

    await userEvent.click(screen.getByTestId('sim-agent-accept'));
    await waitFor(
      () => expect(api.calls.find((c) => c.path.endsWith('/business-events'))?.body).toEqual({ type: 'agent.accepted', data: { agent: 'Marta' } }),
      { timeout: 3000 },
    );
    await screen.findByTestId('sim-agent-message', {}, { timeout: 3000 });
    await userEvent.click(screen.getByTestId('sim-agent-resolve'));
    await waitFor(() => expect(screen.getByTestId('sim-status')).toHaveAttribute('data-status', 'completed'), { timeout: 3000 });
    expect(screen.getByTestId('sim-status')).toHaveTextContent('Terminada: escalated');
  });

  it('shows the server’s problems when the draft cannot run', async () => {
    const api = fakeApi();
    const problem = { code: 'flow.no_start', severity: 'error', message: 'El flujo no tiene nodo de inicio.', messages: { es: '', en: '' } };
    api.on('POST', '/flows/f1/test-runs', () => ({
      status: 422,
      body: { statusCode: 422, error: 'Unprocessable Entity', message: 'The draft is invalid', details: { errors: [problem] } },
    }));
    const onProblems = jest.fn();
    renderWith(<Simulator flowId="f1" ensureSaved={async () => true} onState={() => undefined} nodeName={(id) => id} onProblems={onProblems} />, api);
    await userEvent.click(screen.getByTestId('sim-start'));
    expect(await screen.findByRole('alert')).toHaveTextContent('The draft is invalid');
    expect(onProblems).toHaveBeenCalledWith([problem]);
  });
});
