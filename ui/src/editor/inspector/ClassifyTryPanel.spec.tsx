import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ClassifyTryBody, ClassifyTryResult } from '../../api/types';
import { fakeApi, Providers, renderWith, type FakeApi } from '../../test/render';
import type { CanvasNode } from '../convert';
import { Inspector } from '../Inspector';
import { intentsOf, phrasesOf } from './classify-try-body';
import { ClassifyTryPanel, EDIT_DEBOUNCE_MS } from './ClassifyTryPanel';

const data = {
  intents: [
    { id: 'shipping', description: 'Dónde está el pedido', examples: ['¿dónde está mi pedido?', 'mi paquete no llega', 'where is my order?'] },
    { id: 'refund', examples: ['quiero un reembolso', 'devuélvanme el dinero'] },
  ],
  threshold: 0.5,
};

const FEW = { code: 'few-examples', intent: 'refund', message: { es: '`refund` tiene 2 ejemplos', en: '`refund` has 2 examples' } } as const;

/** Answers like the API: `shipping` for phrases about a package, fallback otherwise; warns about `refund` when it has 2 examples. */
function tryApi(extra: Partial<ClassifyTryResult> = {}): FakeApi {
  const api = fakeApi();
  api.on('POST', '/ai/classify/try', ({ body }: { body: ClassifyTryBody }) => ({
    engine: 'offline',
    threshold: body.threshold ?? 0.35,
    results: body.phrases.map((text) =>
      /paquete/.test(text)
        ? { text, intent: 'shipping', confidence: 0.82, runnerUp: { intent: 'refund', score: 0.12 }, engine: 'offline' }
        : { text, intent: null, confidence: 0.1, runnerUp: { intent: 'refund', score: 0.1 }, engine: 'offline' },
    ),
    warnings: body.intents.some((i) => i.id === 'refund' && i.examples.length < 3) ? [FEW] : [],
    ...extra,
  }));
  return api;
}

const tries = (api: FakeApi) => api.calls.filter((c) => c.path === '/ai/classify/try').map((c) => c.body as ClassifyTryBody);

async function openPanel() {
  await userEvent.click(screen.getByText('Probar frases'));
}

describe('«Probar frases»', () => {
  it('shows the intents’ warnings as soon as it opens, without a click, and asks nothing while closed', async () => {
    const api = tryApi();
    renderWith(<ClassifyTryPanel data={data} />, api);
    expect(tries(api)).toEqual([]);
    await openPanel();
    const warnings = await screen.findByRole('list', { name: 'Avisos sobre las intenciones' });
    expect(warnings).toHaveTextContent('refund tiene 2 ejemplos');
    expect(within(warnings).getByText('refund').tagName).toBe('CODE');
    expect(tries(api)).toEqual([{ intents: data.intents, threshold: 0.5, phrases: [] }]);
    expect(screen.queryByTestId('classify-try-results')).toBeNull();
  });

  it('tries the phrases of the text box, one per line: intent or fallback, confidence in percent, runner-up', async () => {
    const api = tryApi();
    renderWith(<ClassifyTryPanel data={data} />, api);
    await openPanel();
    const box = screen.getByLabelText('Frases de prueba (una por línea)');
    expect(screen.getByRole('button', { name: 'Probar' })).toBeDisabled();
    await userEvent.type(box, 'hola, mi paquete no ha llegado{enter}{enter}qué tiempo hace');
    await userEvent.click(screen.getByRole('button', { name: 'Probar' }));
    const table = await screen.findByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Frase', 'Intención', 'Confianza', 'Segunda opción']);
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent?.replace(/\u00a0/g, ' ')),
      );
    expect(rows).toEqual([
      ['hola, mi paquete no ha llegado', 'shipping', '82 %', 'refund (12 %)'],
      ['qué tiempo hace', 'ninguna → fallback', '10 %', 'refund (10 %)'],
    ]);
    expect(tries(api).at(-1)?.phrases).toEqual(['hola, mi paquete no ha llegado', 'qué tiempo hace']);
    expect(screen.getByText(/Clasificador sin conexión · umbral 50/)).toBeInTheDocument();
  });

  it('asks again once the lead stops editing the intents, with the phrases tried last', async () => {
    const api = tryApi();
    const view = renderWith(<ClassifyTryPanel data={data} />, api);
    await openPanel();
    await userEvent.type(screen.getByLabelText('Frases de prueba (una por línea)'), 'mi paquete');
    await userEvent.click(screen.getByRole('button', { name: 'Probar' }));
    await screen.findByRole('table');
    expect(screen.getByTestId('classify-try-warnings')).toHaveTextContent('refund tiene 2 ejemplos');
    const fixed = { ...data, intents: [data.intents[0], { ...data.intents[1], examples: [...data.intents[1].examples, 'refund please'] }] };
    // Two quick edits: one request after the pause, for the last.
    const again = (d: typeof data) => view.rerender(<Providers api={api}>{<ClassifyTryPanel data={d} />}</Providers>);
    again({ ...fixed, threshold: 0.4 });
    again(fixed);
    const before = tries(api).length;
    await waitFor(() => expect(screen.queryByTestId('classify-try-warnings')).toBeNull(), { timeout: EDIT_DEBOUNCE_MS * 5 });
    expect(tries(api).slice(before)).toEqual([{ intents: fixed.intents, threshold: 0.5, phrases: ['mi paquete'] }]);
  });

  it('says when the LLM failed and the offline classifier answered instead', async () => {
    const api = fakeApi();
    api.on('POST', '/ai/classify/try', ({ body }: { body: ClassifyTryBody }) => ({
      engine: 'llm',
      threshold: 0.35,
      results: body.phrases.map((text) => ({
        text,
        intent: 'shipping',
        confidence: 0.7,
        runnerUp: null,
        engine: 'offline',
        llmError: 'could not reach the LLM',
      })),
      warnings: [],
    }));
    renderWith(<ClassifyTryPanel data={data} />, api, { locale: 'en' });
    await userEvent.click(screen.getByText('Try phrases'));
    await userEvent.type(screen.getByLabelText('Test phrases (one per line)'), 'where is my parcel');
    await userEvent.click(screen.getByRole('button', { name: 'Try' }));
    expect(await screen.findByText('The LLM did not answer (could not reach the LLM); the offline classifier did.')).toBeInTheDocument();
    expect(screen.getByText(/^LLM · threshold 35/)).toBeInTheDocument();
    expect(within(screen.getByRole('table')).getByText('—')).toBeInTheDocument();
  });

  it('shows the API’s refusal', async () => {
    const api = fakeApi();
    api.on('POST', '/ai/classify/try', () => ({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'intents.0.id "x" is repeated' } }));
    renderWith(<ClassifyTryPanel data={data} />, api);
    await openPanel();
    expect(await screen.findByText('intents.0.id "x" is repeated')).toBeInTheDocument();
  });
});

describe('in the inspector', () => {
  const node = (type: string): CanvasNode => ({ id: 'n1', type, position: { x: 0, y: 0 }, data, selected: true });
  const inspector = (type: string, readOnly: boolean) => (
    <Inspector
      nodes={[node(type)]}
      edges={[]}
      problems={[]}
      variablesFor={() => []}
      readOnly={readOnly}
      name="Flujo"
      description=""
      flowVariables={[]}
      onMeta={() => undefined}
      onVariables={() => undefined}
      onNodeData={() => undefined}
      onDelete={() => undefined}
      onFocusNode={() => undefined}
      nodeName={(id) => id}
    />
  );

  it('is offered on ai.classify nodes to those who may edit, and to no one else', () => {
    const api = tryApi();
    const view = renderWith(inspector('ai.classify', false), api);
    expect(screen.getByTestId('classify-try')).toBeInTheDocument();
    view.rerender(<Providers api={api}>{inspector('ai.classify', true)}</Providers>);
    expect(screen.queryByTestId('classify-try')).toBeNull();
    view.rerender(<Providers api={api}>{inspector('message', false)}</Providers>);
    expect(screen.queryByTestId('classify-try')).toBeNull();
  });
});

describe('what it sends', () => {
  it('leaves out what the API would refuse while the lead is half-way through an edit', () => {
    const body = intentsOf({
      intents: [
        { id: 'ok', examples: ['uno', '', '  ', 'x'.repeat(501), 'dos'], description: '' },
        { id: '', examples: ['sin id'] },
        { id: 'fallback', examples: ['reservado'] },
        { id: 'ok', examples: ['repetido'] },
        { id: 'empty', examples: [] },
        { id: ' space', examples: ['espacio'] },
      ],
      threshold: 7,
    });
    expect(body).toEqual({ intents: [{ id: 'ok', examples: ['uno', 'dos'] }] });
    expect(intentsOf({ intents: 'nonsense', threshold: 0 })).toEqual({ intents: [], threshold: 0 });
  });

  it('takes one phrase per non-empty line, at most 50', () => {
    expect(phrasesOf(' uno \n\n dos\n')).toEqual({ phrases: ['uno', 'dos'], dropped: 0 });
    const many = phrasesOf(Array.from({ length: 53 }, (_, i) => `frase ${i}`).join('\n'));
    expect(many.phrases).toHaveLength(50);
    expect(many.dropped).toBe(3);
  });
});
