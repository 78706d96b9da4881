/**
 * The editor's key handler: a key press on the page runs the action the keymap binds it to.
 * Each action says whether it used the key (then the browser's own meaning, such as Ctrl+S
 * "save page", is prevented).
 */
import { useEffect, useRef } from 'react';
import { bindingFor, type ShortcutAction } from './keymap';

export type ShortcutHandlers = Record<ShortcutAction, () => boolean>;

/** A field, a select or editable text has the focus: the keys are the CX lead's text. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function useShortcuts(handlers: ShortcutHandlers, readOnly: boolean): void {
  // The listener is registered once; it reads the latest handlers, which change on every render.
  const latest = useRef({ handlers, readOnly });
  latest.current = { handlers, readOnly };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = isTyping(e.target) || document.querySelector('.modal-backdrop') !== null;
      const binding = bindingFor({ mod: e.metaKey || e.ctrlKey, shift: e.shiftKey, key: e.key.toLowerCase() }, { typing, readOnly: latest.current.readOnly });
      if (binding && latest.current.handlers[binding.action]()) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
