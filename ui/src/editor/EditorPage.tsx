/**
 * The flow editor's page: loads the flow, lays out a draft that has no positions, then opens it
 * in the workspace (palette, canvas, inspector, simulator and versions around one flow's draft).
 * Validation runs client-side on every change (the flow language's validateFlow); saving asks the
 * server's /validate too, and publishing shows the server's verdict.
 */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { queryKeys } from '../api/query-keys';
import { useApi } from '../auth/AuthContext';
import { ErrorMessage, Spinner } from '../components/common';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import { Link } from '../router';
import { layoutInput, placed, toCanvas } from './convert';
import { EditorWorkspace } from './EditorWorkspace';
import { PaletteProvider } from './palette-context';
import type { EditorDoc } from './use-flow-editor';
import { useLayoutRunner } from './use-layout';

export function EditorPage({ flowId }: { flowId: string }) {
  const t = useT();
  const api = useApi();
  const openedAt = useRef(performance.now());
  const runLayout = useLayoutRunner();
  const flow = useAsync(() => api.getFlow(flowId), [flowId], queryKeys.flows.detail(flowId));
  const [initial, setInitial] = useState<EditorDoc | null>(null);
  // The draft opens from the answer read on opening, not from a cached one (another tab may have
  // saved since). A draft without positions (written by hand or through the API) is laid out first.
  useEffect(() => {
    if (!flow.data || flow.loading || initial) return;
    const { nodes, edges, positioned } = toCanvas(flow.data.draft);
    const variables = flow.data.draft.variables ?? [];
    if (positioned) {
      setInitial({ nodes, edges, variables });
      return;
    }
    const input = layoutInput(nodes, edges);
    void runLayout(input.nodes, input.edges).then((positions) => setInitial({ nodes: placed(nodes, positions), edges, variables }));
  }, [flow.data, flow.loading, initial, runLayout]);
  if ((flow.loading && !flow.data) || (flow.data && !initial)) {
    return (
      <div className="page-loading">
        <Spinner label={t('common.loading')} />
      </div>
    );
  }
  if (!flow.data) {
    return (
      <div className="page">
        <ErrorMessage error={flow.error} />
        <Link to="/flows">← {t('nav.flows')}</Link>
      </div>
    );
  }
  return (
    <PaletteProvider>
      <ReactFlowProvider>
        <EditorWorkspace flow={flow.data} initial={initial!} openedAt={openedAt.current} runLayout={runLayout} />
      </ReactFlowProvider>
    </PaletteProvider>
  );
}
