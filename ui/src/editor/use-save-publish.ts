/**
 * Saving and publishing a draft. Saving sends the draft (and the flow's name and description),
 * then asks the server's /validate and shows its verdict; publishing refuses client-side errors,
 * saves quietly, then publishes and shows the new version or the server's 422. A draft with changes
 * saves itself once the editing pauses (AUTOSAVE_MS); leaving the page before that asks first. What a save or a publish changes elsewhere (the flows list, the
 * versions panel) is refreshed by the write itself (api/query-keys.ts).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ValidationResult } from '../../../workflows/language';
import { ApiError } from '../api/client';
import type { Flow } from '../api/types';
import { useApi } from '../auth/AuthContext';
import { useErrorText } from '../components/common';
import { useLocale, useT } from '../i18n';
import { useLeaveGuard } from '../router';
import type { ServerCheck } from './ProblemsPanel';
import type { Banner } from './use-banner';
import type { FlowEditor } from './use-flow-editor';

/** Autosave waits for this pause in the editing. */
export const AUTOSAVE_MS = 2_500;

export interface FlowMeta {
  name: string;
  description: string;
}

export function useSavePublish({
  flow,
  editor,
  canWrite,
  validation,
  showBanner,
}: {
  flow: Flow;
  editor: FlowEditor;
  canWrite: boolean;
  validation: ValidationResult | null;
  showBanner: (b: Banner | null) => void;
}) {
  const t = useT();
  const api = useApi();
  const [locale] = useLocale();
  const errorText = useErrorText();
  const [meta, setMetaState] = useState<FlowMeta>({ name: flow.name, description: flow.description });
  const [metaDirty, setMetaDirty] = useState(false);
  /** `draftChanged`: the saved draft differs from the latest published version (the server says, on load and on save). */
  const [info, setInfo] = useState({ status: flow.status, latestVersion: flow.latestVersion, draftChanged: flow.draftChanged });
  const [saving, setSaving] = useState(false);
  const [publishing, setPublishing] = useState(false);
  /** The server's last verdict on this draft, from /validate or /publish. */
  const [server, setServer] = useState<ServerCheck | null>(null);
  const readOnly = info.status === 'archived' || !canWrite;
  const dirty = editor.dirty || metaDirty;

  const setMeta = useCallback((m: Partial<FlowMeta>) => {
    setMetaState((prev) => ({ ...prev, ...m }));
    setMetaDirty(true);
  }, []);

  /** Saves the draft and asks the server to validate it; quiet when a publish or a test run follows. */
  const saveNow = useCallback(
    async (quiet = false): Promise<boolean> => {
      if (readOnly) return true;
      if (!dirty) return true;
      const rev = editor.revision;
      setSaving(true);
      try {
        const saved = await api.saveFlow(flow.id, { name: meta.name.trim() || flow.name, description: meta.description, definition: editor.current() });
        editor.markSaved(rev);
        setMetaDirty(false);
        setInfo({ status: saved.status, latestVersion: saved.latestVersion, draftChanged: saved.draftChanged });
        try {
          const check = await api.validateFlow(flow.id, locale);
          setServer({ at: Date.now(), valid: check.valid, problems: [...check.errors, ...check.warnings], source: 'validate' });
          if (!quiet)
            showBanner({
              kind: check.valid ? 'success' : 'error',
              text: check.valid ? t('editor.savedValid') : t('editor.savedInvalid', { count: check.errors.length }),
            });
        } catch {
          if (!quiet) showBanner({ kind: 'success', text: t('editor.saved') });
        }
        return true;
      } catch (err) {
        showBanner({ kind: 'error', text: t('editor.saveFailed', { message: errorText(err) }) });
        return false;
      } finally {
        setSaving(false);
      }
    },
    [readOnly, dirty, editor, api, flow.id, flow.name, meta, locale, showBanner, t, errorText],
  );

  const publish = useCallback(async () => {
    if (validation && !validation.valid) {
      showBanner({ kind: 'error', text: t('editor.fixBeforePublish', { count: validation.errors.length }) });
      return;
    }
    setPublishing(true);
    try {
      if (!(await saveNow(true))) return;
      const result = await api.publishFlow(flow.id, locale);
      setInfo({ status: 'published', latestVersion: result.version, draftChanged: false });
      setServer({ at: Date.now(), valid: true, problems: result.warnings, source: 'publish' });
      showBanner({ kind: 'success', text: t('editor.published', { version: result.version }) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        setServer({ at: Date.now(), valid: false, problems: err.problems, source: 'publish' });
        showBanner({ kind: 'error', text: t('editor.publishRefused', { count: err.problems.length }) });
      } else {
        showBanner({ kind: 'error', text: errorText(err) });
      }
    } finally {
      setPublishing(false);
    }
  }, [validation, saveNow, api, flow.id, locale, showBanner, t, errorText]);

  // Autosave: a draft with changes is saved once the editing pauses, so a crash or a closed tab loses
  // seconds at most. Quiet (no banner) unless it fails.
  useEffect(() => {
    if (!dirty || readOnly || saving || publishing) return;
    const timer = setTimeout(() => void saveNow(true), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [dirty, readOnly, saving, publishing, editor.revision, meta, saveNow]);

  // Leaving for another page while changes are not saved yet asks first (closing the tab too, below).
  useLeaveGuard(dirty && !readOnly ? t('editor.leaveUnsaved') : null);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  return { meta, setMeta, info, readOnly, dirty, saving, publishing, server, setServer, saveNow, publish };
}

export type SavePublish = ReturnType<typeof useSavePublish>;
