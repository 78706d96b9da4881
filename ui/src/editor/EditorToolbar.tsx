/** The editor's toolbar: back to the flows, the flow's name, status and save state, and its commands. */
import type { Flow } from '../api/types';
import { StatusBadge } from '../components/common';
import { useT } from '../i18n';
import { Link } from '../router';
import { keysOf } from './keymap';
import type { FlowEditor } from './use-flow-editor';
import type { SavePublish } from './use-save-publish';

export function EditorToolbar({
  flow,
  draft,
  editor,
  layingOut,
  onLayout,
  onShortcuts,
}: {
  flow: Flow;
  draft: SavePublish;
  editor: FlowEditor;
  layingOut: boolean;
  onLayout: () => void;
  onShortcuts: () => void;
}) {
  const t = useT();
  const { meta, info, dirty, saving, publishing, readOnly } = draft;
  // Saved is not published: a draft that differs from the live version says so.
  const saveState = saving
    ? t('editor.saving')
    : dirty
      ? t('editor.unsaved')
      : info.latestVersion !== null && info.draftChanged
        ? t('editor.unpublishedChanges')
        : t('editor.allSaved');
  return (
    <div className="editor-toolbar">
      <Link to="/flows" className="btn btn-ghost btn-small">
        ← {t('nav.flows')}
      </Link>
      <div className="editor-title">
        <h1 title={meta.name}>{meta.name || flow.name}</h1>
        <StatusBadge status={info.status} />
        {info.latestVersion !== null && <span className="badge">v{info.latestVersion}</span>}
        <span className={`save-state${dirty || (info.latestVersion !== null && info.draftChanged) ? ' dirty' : ''}`} data-testid="save-state">
          {saveState}
        </span>
      </div>
      <div className="editor-actions">
        {!readOnly && (
          <>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={editor.undo}
              disabled={!editor.canUndo}
              title={`${t('editor.undo')} (${keysOf('undo')})`}
              data-testid="undo"
            >
              ↶ {t('editor.undo')}
            </button>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={editor.redo}
              disabled={!editor.canRedo}
              title={`${t('editor.redo')} (${keysOf('redo')})`}
              data-testid="redo"
            >
              ↷ {t('editor.redo')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={onLayout}
              disabled={layingOut}
              title={`${t('editor.layout')} (${keysOf('layout')})`}
              data-testid="auto-layout"
            >
              {layingOut ? t('editor.layingOut') : t('editor.layout')}
            </button>
          </>
        )}
        <button type="button" className="btn btn-small btn-ghost" onClick={onShortcuts} title={t('shortcuts.title')} aria-label={t('shortcuts.title')}>
          ?
        </button>
        {!readOnly && (
          <>
            <button type="button" className="btn btn-small" onClick={() => void draft.saveNow()} disabled={saving || !dirty} data-testid="save">
              {t('editor.save')}
            </button>
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => void draft.publish()}
              disabled={publishing || saving}
              data-testid="publish"
            >
              {publishing ? t('editor.publishing') : t('editor.publish')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
