/**
 * The editor's keyboard shortcuts, declared once. The key handler (use-shortcuts.ts) matches key
 * presses against this list, the shortcuts dialog lists it and the toolbar's tooltips quote it,
 * so what the help says and what the keys do cannot drift apart.
 */
import type { MessageKey } from '../i18n';

export type ShortcutAction = 'undo' | 'redo' | 'copy' | 'cut' | 'paste' | 'duplicate' | 'selectAll' | 'save' | 'layout' | 'fit' | 'help';

/** A key press as a shortcut sees it: `mod` is Ctrl, or ⌘ on a Mac; `key` is lower case. */
export interface KeyPress {
  mod: boolean;
  shift: boolean;
  key: string;
}

export interface Binding {
  action: ShortcutAction;
  matches: (k: KeyPress) => boolean;
  /** Changes the flow: a read-only editor ignores it. */
  edits?: boolean;
  /** Also while the CX lead types in a field or a dialog is open (only saving is). */
  anywhere?: boolean;
}

export interface Shortcut {
  /** The keys as people read them; `mod` is "⌘" or "Ctrl". */
  keys: (mod: string) => string;
  label: MessageKey;
  /** Empty when the canvas (React Flow) handles the keys itself. */
  bindings: Binding[];
}

/** Deleting the selection is React Flow's own key handling, given these keys. */
export const CANVAS_DELETE_KEYS = ['Backspace', 'Delete'];

export const KEYMAP: readonly Shortcut[] = [
  { keys: (m) => `${m}+Z`, label: 'shortcuts.undo', bindings: [{ action: 'undo', edits: true, matches: (k) => k.mod && k.key === 'z' && !k.shift }] },
  {
    keys: (m) => `${m}+Shift+Z / ${m}+Y`,
    label: 'shortcuts.redo',
    bindings: [{ action: 'redo', edits: true, matches: (k) => k.mod && ((k.key === 'z' && k.shift) || k.key === 'y') }],
  },
  {
    keys: (m) => `${m}+C / ${m}+X / ${m}+V`,
    label: 'shortcuts.copyPaste',
    bindings: [
      { action: 'copy', matches: (k) => k.mod && k.key === 'c' },
      { action: 'cut', edits: true, matches: (k) => k.mod && k.key === 'x' },
      { action: 'paste', edits: true, matches: (k) => k.mod && k.key === 'v' },
    ],
  },
  { keys: (m) => `${m}+D`, label: 'shortcuts.duplicate', bindings: [{ action: 'duplicate', edits: true, matches: (k) => k.mod && k.key === 'd' }] },
  { keys: (m) => `${m}+A`, label: 'shortcuts.selectAll', bindings: [{ action: 'selectAll', matches: (k) => k.mod && k.key === 'a' }] },
  { keys: (m) => `${m}+S`, label: 'shortcuts.save', bindings: [{ action: 'save', anywhere: true, matches: (k) => k.mod && k.key === 's' }] },
  { keys: () => 'Supr / ⌫', label: 'shortcuts.delete', bindings: [] },
  { keys: () => 'Shift+L', label: 'shortcuts.layout', bindings: [{ action: 'layout', edits: true, matches: (k) => !k.mod && k.shift && k.key === 'l' }] },
  { keys: () => 'F', label: 'shortcuts.fit', bindings: [{ action: 'fit', matches: (k) => !k.mod && !k.shift && k.key === 'f' }] },
  { keys: () => '?', label: 'shortcuts.help', bindings: [{ action: 'help', matches: (k) => k.key === '?' }] },
];

/** "⌘" on Apple keyboards, "Ctrl" elsewhere. */
export function modKeyName(): string {
  return /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
}

/** The keys of the shortcut that runs `action`, for a tooltip. */
export function keysOf(action: ShortcutAction, mod = modKeyName()): string {
  const shortcut = KEYMAP.find((s) => s.bindings.some((b) => b.action === action));
  return shortcut ? shortcut.keys(mod) : '';
}

/** The binding a key press triggers, or null: typing in a field or a read-only flow block most. */
export function bindingFor(press: KeyPress, context: { typing: boolean; readOnly: boolean }): Binding | null {
  for (const shortcut of KEYMAP) {
    for (const binding of shortcut.bindings) {
      if (!binding.matches(press)) continue;
      if (context.typing && !binding.anywhere) return null;
      if (binding.edits && context.readOnly) return null;
      return binding;
    }
  }
  return null;
}
