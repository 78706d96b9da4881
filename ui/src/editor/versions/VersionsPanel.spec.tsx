// The versions panel follows publishes made in the editor through the query cache, not a reload counter.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FlowDefinition } from '../../../../workflows/language';
import { catalogForPalette } from '../../../../workflows/language';
import type { FlowVersionSummary } from '../../api/types';
import { fakeApi, renderWith } from '../../test/render';
import { EditorPage } from '../EditorPage';

const FLOW_ID = '00000000-0000-4000-8000-0000000000a1';

const valid: FlowDefinition = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: { trigger: 'api' } },
    { id: 'bye', type: 'end', position: { x: 0, y: 150 }, data: { outcome: 'resolved' } },
  ],
  edges: [{ id: 'start.next->bye', source: 'start', sourceHandle: 'next', target: 'bye' }],
};

function publishingApi() {
  const api = fakeApi();
  const versions: FlowVersionSummary[] = [];
  let latestVersion: number | null = null;
  api.on('GET', `/flows/${FLOW_ID}`, () => ({
    id: FLOW_ID,
    name: 'Bienvenida',
    description: '',
    status: latestVersion ? 'published' : 'draft',
    latestVersion,
    trigger: 'api',
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-01T10:00:00Z',
    draft: valid,
    draftChanged: latestVersion === null,
  }));
  api.on('GET', '/activities', ({ query }) => ({ locale: query.get('locale'), items: catalogForPalette((query.get('locale') as 'es' | 'en') ?? 'es') }));
  api.on('GET', `/flows/${FLOW_ID}/versions`, () => ({ items: [...versions].reverse() }));
  api.on('POST', `/flows/${FLOW_ID}/publish`, () => {
    latestVersion = versions.length + 1;
    const publishedAt = '2026-11-02T10:00:00Z';
    versions.push({ version: latestVersion, publishedAt, publishedBy: 'k', nodeCount: valid.nodes.length } as FlowVersionSummary);
    return { status: 201, body: { flowId: FLOW_ID, version: latestVersion, publishedAt, publishedBy: 'k', warnings: [], schedule: null } };
  });
  const versionReads = () => api.calls.filter((c) => c.method === 'GET' && c.path === `/flows/${FLOW_ID}/versions`).length;
  return { api, versionReads };
}

describe('the versions panel', () => {
  it('shows a version published from the toolbar at once, without a reload of its own', async () => {
    const { api, versionReads } = publishingApi();
    renderWith(<EditorPage flowId={FLOW_ID} />, api, { path: `/flows/${FLOW_ID}` });
    await screen.findByTestId('editor');
    await waitFor(() => expect(screen.queryByTestId('error-count')).toHaveTextContent('0 errores'), { timeout: 3000 });

    await userEvent.click(screen.getByTestId('tab-versions'));
    expect(await screen.findByText('Aún no hay versiones publicadas')).toBeInTheDocument();
    expect(versionReads()).toBe(1);

    await userEvent.click(screen.getByTestId('publish'));
    expect(await screen.findByTestId('editor-banner')).toHaveTextContent('Publicada la versión 1');
    const panel = await screen.findByTestId('versions');
    await waitFor(() => expect([...panel.querySelectorAll('.version-item strong')].map((v) => v.textContent)).toEqual(['v1']));
    // One read more: the publish's write made the list stale, and nothing else asked again.
    expect(versionReads()).toBe(2);
    // The flow's detail was read again too (it changed), but the draft being edited stays open.
    expect(screen.getByTestId('editor')).toBeInTheDocument();
  });
});
