import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { catalogForPalette, type FlowDefinition } from '../../../workflows/language';
import { fakeApi, renderWith, type FakeApi } from '../test/render';
import { EditorPage } from './EditorPage';

const FLOW_ID = '00000000-0000-4000-8000-000000000001';

const draft: FlowDefinition = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'message', channel: 'chat' } },
    { id: 'ask', type: 'ask', position: { x: 0, y: 150 }, data: { text: '¿En qué te ayudo?', variable: 'problem' } },
    {
      id: 'check',
      type: 'condition',
      position: { x: 0, y: 300 },
      data: { label: 'Quiere una persona', rule: { contains: [{ var: 'vars.problem' }, 'humano'] } },
    },
    { id: 'bye', type: 'end', position: { x: 0, y: 450 }, data: { outcome: 'resolved' } },
  ],
  edges: [
    { id: 'start.next->ask', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'ask.reply->check', source: 'ask', sourceHandle: 'reply', target: 'check' },
    { id: 'check.true->bye', source: 'check', sourceHandle: 'true', target: 'bye' },
  ],
};

function flowApi(definition: FlowDefinition = draft, published?: { draftChanged: boolean }): FakeApi {
  const api = fakeApi();
  api.on('GET', `/flows/${FLOW_ID}`, () => ({
    id: FLOW_ID,
    name: 'Soporte',
    description: '',
    status: published ? 'published' : 'draft',
    latestVersion: published ? 1 : null,
    trigger: 'message',
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-01T10:00:00Z',
    draft: definition,
    draftChanged: published ? published.draftChanged : true,
  }));
  api.on('GET', '/activities', ({ query }) => ({ locale: query.get('locale'), items: catalogForPalette((query.get('locale') as 'es' | 'en') ?? 'es') }));
  api.on('GET', `/flows/${FLOW_ID}/versions`, () => ({ items: [] }));
  return api;
}

async function openEditor(api: FakeApi) {
  renderWith(<EditorPage flowId={FLOW_ID} />, api, { path: `/flows/${FLOW_ID}` });
  await screen.findByTestId('editor');
  // Client-side validation runs (on the main thread in jsdom) shortly after opening. Waited for
  // with a query that returns null: a findBy* miss serializes the whole canvas into its error
  // message, and it misses on every DOM change while the canvas mounts.
  await waitFor(() => expect(screen.queryByTestId('error-count')).not.toBeNull(), { timeout: 3000 });
}

describe('the editor', () => {
  it('draws every node with a target handle "in" and one named source handle per branch', async () => {
    await openEditor(flowApi());
    const check = await screen.findByTestId('node-check');
    expect(within(check).getByText('Quiere una persona')).toBeInTheDocument();
    const handles = [...check.querySelectorAll('.react-flow__handle')].map(
      (h) => `${h.classList.contains('source') ? 'source' : 'target'}:${h.getAttribute('data-handleid')}`,
    );
    expect(handles).toEqual(['target:in', 'source:true', 'source:false']);
    expect(screen.getByTestId('node-start').querySelectorAll('.react-flow__handle.target')).toHaveLength(0);
  });

  it('says when the saved draft differs from the published version, and when everything is live', async () => {
    await openEditor(flowApi(draft, { draftChanged: true }));
    expect(screen.getByTestId('save-state')).toHaveTextContent('Borrador con cambios sin publicar');
    cleanup();
    await openEditor(flowApi(draft, { draftChanged: false }));
    expect(screen.getByTestId('save-state')).toHaveTextContent('Todo guardado');
  });

  it('validates on the client at once and shows each problem on its node and in the list', async () => {
    await openEditor(flowApi());
    await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('1 errores'));
    const problem = screen.getAllByTestId('problem')[0];
    expect(problem).toHaveTextContent('«Quiere una persona» tiene la salida «false» sin conectar');
    expect(screen.getByTestId('node-check')).toHaveClass('has-errors');
    expect(within(screen.getByTestId('node-check')).getByLabelText('1 problemas en este nodo')).toBeInTheDocument();
    // A click on the problem selects its node: the inspector shows it.
    await userEvent.click(problem);
    expect(await screen.findByTestId('inspector')).toHaveAttribute('data-node-id', 'check');
  });

  it('edits node data through the generated form, with undo and redo', async () => {
    // Every keystroke re-renders the whole editor, and user-event's pointer-events check runs
    // jsdom's getComputedStyle on each ancestor of what it clicks: a few keystrokes and no check
    // keep this test well inside its time budget on a loaded machine (it tests no CSS).
    const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
    await openEditor(flowApi());
    fireEvent.click(screen.getByTestId('node-ask'));
    const inspector = await screen.findByTestId('inspector');
    const label = within(inspector).getByTestId('node-label');
    // Typed key by key (not pasted), so an edit that lost the previous keystroke would show.
    await user.type(label, 'Motivo');
    await waitFor(() => expect(within(screen.getByTestId('node-ask')).getByText('Motivo')).toBeInTheDocument());
    expect(screen.getByTestId('save-state')).toHaveTextContent('Cambios sin guardar');
    // Optional fields are offered as "+ field" buttons; adding the timeout adds a "timeout" branch.
    const timeoutBranch = () => screen.getByTestId('node-ask').querySelector('[data-handleid="timeout"]');
    await user.click(within(inspector).getByTestId('add-field-timeout'));
    await waitFor(() => expect(timeoutBranch()).not.toBeNull());
    await user.click(screen.getByTestId('undo'));
    await waitFor(() => expect(timeoutBranch()).toBeNull());
    // Undo takes back the timeout only: the label typed before it stays.
    expect(within(screen.getByTestId('node-ask')).getByText('Motivo')).toBeInTheDocument();
    await user.click(screen.getByTestId('redo'));
    await waitFor(() => expect(timeoutBranch()).not.toBeNull());
  });

  it('saves the draft, then shows the server’s validation', async () => {
    const api = flowApi();
    api.on('PUT', `/flows/${FLOW_ID}`, ({ body }) => ({ id: FLOW_ID, ...body, status: 'draft', latestVersion: null, draft: body.definition }));
    api.on('POST', `/flows/${FLOW_ID}/validate`, () => ({
      valid: false,
      errors: [
        {
          code: 'node.branch_unconnected',
          severity: 'error',
          message: 'Falta conectar «false» (servidor).',
          messages: { es: '', en: '' },
          nodeId: 'check',
          branch: 'false',
        },
      ],
      warnings: [],
    }));
    await openEditor(api);
    fireEvent.click(screen.getByTestId('node-ask'));
    await userEvent.type(within(await screen.findByTestId('inspector')).getByTestId('node-label'), 'x');
    await userEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(api.calls.some((c) => c.method === 'POST' && c.path.endsWith('/validate'))).toBe(true));
    const put = api.calls.find((c) => c.method === 'PUT')!;
    const saved = (put.body as { definition: FlowDefinition }).definition;
    expect(saved.nodes.find((n) => n.id === 'ask')?.data.label).toBe('x');
    expect(saved.edges[0]).toMatchObject({ source: 'start', sourceHandle: 'next', target: 'ask', targetHandle: 'in' });
    expect(await screen.findByTestId('editor-banner')).toHaveTextContent('El servidor encontró 1 error(es)');
    await userEvent.click(screen.getByTestId('server-tab'));
    expect(screen.getByTestId('server-verdict')).toHaveTextContent('El servidor encontró problemas');
    expect(screen.getByText('Falta conectar «false» (servidor).')).toBeInTheDocument();
  });

  it('autosaves a changed draft once the editing pauses, and asks before leaving with unsaved changes', async () => {
    const api = flowApi();
    api.on('PUT', `/flows/${FLOW_ID}`, ({ body }) => ({
      id: FLOW_ID,
      ...body,
      status: 'draft',
      latestVersion: null,
      draft: body.definition,
      draftChanged: true,
    }));
    api.on('POST', `/flows/${FLOW_ID}/validate`, () => ({ valid: true, errors: [], warnings: [] }));
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
    try {
      await openEditor(api);
      fireEvent.click(screen.getByTestId('node-ask'));
      await userEvent.type(within(await screen.findByTestId('inspector')).getByTestId('node-label'), 'y');
      expect(screen.getByTestId('save-state')).toHaveTextContent('Cambios sin guardar');
      // Leaving now asks; "no" keeps the editor and its changes.
      await userEvent.click(screen.getByText(/← /));
      expect(confirm).toHaveBeenCalledWith('Hay cambios sin guardar en este flujo. ¿Salir sin guardarlos?');
      expect(screen.getByTestId('editor')).toBeInTheDocument();
      // Nobody clicks «Guardar»: the pause saves it.
      await waitFor(() => expect(api.calls.some((c) => c.method === 'PUT')).toBe(true), { timeout: 6_000 });
      const saved = (api.calls.find((c) => c.method === 'PUT')!.body as { definition: FlowDefinition }).definition;
      expect(saved.nodes.find((n) => n.id === 'ask')?.data.label).toBe('y');
      await waitFor(() => expect(screen.getByTestId('save-state')).not.toHaveTextContent('Cambios sin guardar'));
      // Saved: leaving no longer asks.
      confirm.mockClear();
      await userEvent.click(screen.getByText(/← /));
      expect(confirm).not.toHaveBeenCalled();
    } finally {
      confirm.mockRestore();
    }
  }, 20_000);

  it('refuses to publish with client-side errors, and shows the server’s refusal', async () => {
    const api = flowApi({ ...draft, edges: [...draft.edges, { id: 'check.false->bye', source: 'check', sourceHandle: 'false', target: 'bye' }] });
    api.on('POST', `/flows/${FLOW_ID}/publish`, () => ({
      status: 422,
      body: {
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'invalid',
        details: {
          errors: [
            { code: 'node.unknown_subflow', severity: 'error', message: 'El flujo llamado no está publicado.', messages: { es: '', en: '' }, nodeId: 'check' },
          ],
        },
      },
    }));
    await openEditor(api);
    await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('0 errores'));
    await userEvent.click(screen.getByTestId('publish'));
    expect(await screen.findByTestId('editor-banner')).toHaveTextContent('El servidor no ha publicado el flujo: 1 error(es).');
    expect(screen.getByTestId('server-verdict')).toBeInTheDocument();
  });

  it('publishes a valid flow and says which version', async () => {
    const api = flowApi({ ...draft, edges: [...draft.edges, { id: 'check.false->bye', source: 'check', sourceHandle: 'false', target: 'bye' }] });
    api.on('POST', `/flows/${FLOW_ID}/publish`, () => ({
      status: 201,
      body: { flowId: FLOW_ID, version: 1, publishedAt: '2026-11-02T10:00:00Z', publishedBy: 'k', warnings: [], schedule: null },
    }));
    await openEditor(api);
    await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('0 errores'));
    await userEvent.click(screen.getByTestId('publish'));
    expect(await screen.findByTestId('editor-banner')).toHaveTextContent('Publicada la versión 1');
  });

  it('adds a node from the palette (click or drop) with its default data, and lays the flow out', async () => {
    await openEditor(flowApi());
    await userEvent.click(screen.getByTestId('palette-message'));
    const node = await screen.findByTestId('node-message_1');
    expect(node).toHaveTextContent('¡Hola {{ customer.name }}!');
    const canvas = screen.getByTestId('canvas');
    const dataTransfer = { getData: (t: string) => (t === 'application/cauce-node' ? 'delay' : ''), setData: () => undefined, dropEffect: 'move' };
    fireEvent.drop(canvas, { dataTransfer, clientX: 200, clientY: 200 });
    expect(await screen.findByTestId('node-delay_1')).toBeInTheDocument();
    // The start exists already: the palette does not offer a second one.
    expect(screen.getByTestId('palette-start')).toHaveAttribute('aria-disabled', 'true');
    const before = screen.getByTestId('node-message_1').closest('.react-flow__node')!.getAttribute('style');
    await userEvent.click(screen.getByTestId('auto-layout'));
    await waitFor(() => expect(screen.getByTestId('node-message_1').closest('.react-flow__node')!.getAttribute('style')).not.toBe(before));
  });

  it('copies and pastes nodes with new ids, from the keyboard', async () => {
    await openEditor(flowApi());
    fireEvent.click(screen.getByTestId('node-ask'));
    await act(async () => {
      fireEvent.keyDown(window, { key: 'c', ctrlKey: true });
      fireEvent.keyDown(window, { key: 'v', ctrlKey: true });
    });
    expect(await screen.findByTestId('node-ask_1')).toHaveTextContent('¿En qué te ayudo?');
    await act(async () => {
      fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    });
    await waitFor(() => expect(screen.queryByTestId('node-ask_1')).toBeNull());
  });

  it('follows the language switch: palette and problems in English', async () => {
    const api = flowApi();
    renderWith(<EditorPage flowId={FLOW_ID} />, api, { path: `/flows/${FLOW_ID}`, locale: 'en' });
    await screen.findByTestId('editor');
    await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('1 errors'));
    expect(screen.getAllByTestId('problem')[0]).toHaveTextContent('has its “false” branch unconnected');
    expect(within(screen.getByTestId('palette')).getByText('Ask')).toBeInTheDocument();
    expect(api.calls.find((c) => c.path === '/activities')?.query.get('locale')).toBe('en');
  });
});
