/**
 * A Liquid template field that autocompletes variables: typing inside `{{ … }}` or `{% … %}` offers
 * the paths of the run scope (flow variables, customer, last message, node outputs, …); the button
 * inserts `{{ path }}` at the cursor. Syntax problems come from the validator, under the field.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useT, type MessageKey } from '../../i18n';
import type { ScopeVariable } from './scope';

interface Menu {
  /** Where the token being completed starts (inside the tag). */
  from: number;
  to: number;
  query: string;
  index: number;
  /** Insert `{{ path }}` (from the button) instead of completing inside a tag. */
  wrap: boolean;
}

const MAX_ITEMS = 8;

const HINT_KEYS: Record<ScopeVariable['hint'], MessageKey> = {
  declared: 'scope.declared',
  written: 'scope.written',
  used: 'scope.used',
  customer: 'scope.customer',
  message: 'scope.message',
  run: 'scope.run',
  node: 'scope.node',
  root: 'scope.root',
};

/** The token being typed inside an open `{{` or `{%` before the caret, if any. */
export function tokenAt(text: string, caret: number): { from: number; query: string } | null {
  const before = text.slice(0, caret);
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  if (open < 0) return null;
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  if (close > open) return null;
  const m = /[A-Za-z0-9_.]*$/.exec(before);
  const query = m ? m[0] : '';
  // After a filter pipe the token is a filter name, not a variable.
  const inTag = before.slice(open + 2, caret - query.length);
  if (inTag.includes('|')) return null;
  return { from: caret - query.length, query };
}

export function filterVariables(variables: ScopeVariable[], query: string): ScopeVariable[] {
  const q = query.toLowerCase();
  const starts = variables.filter((v) => v.path.toLowerCase().startsWith(q));
  const contains = q ? variables.filter((v) => !v.path.toLowerCase().startsWith(q) && v.path.toLowerCase().includes(q)) : [];
  return [...starts, ...contains];
}

export function TemplateField({
  value,
  onChange,
  variables,
  multiline,
  id,
  invalid,
  maxLength,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  variables: ScopeVariable[];
  multiline?: boolean;
  id?: string;
  invalid?: boolean;
  maxLength?: number;
  testId?: string;
}) {
  const t = useT();
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [menu, setMenu] = useState<Menu | null>(null);
  const caretAfter = useRef<number | null>(null);
  const items = useMemo(() => (menu ? filterVariables(variables, menu.query).slice(0, menu.wrap ? 50 : MAX_ITEMS) : []), [menu, variables]);

  useLayoutEffect(() => {
    if (caretAfter.current !== null && ref.current) {
      ref.current.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  });

  const refreshMenu = (text: string, caret: number) => {
    const token = tokenAt(text, caret);
    if (!token) {
      setMenu((m) => (m?.wrap ? m : null));
      return;
    }
    setMenu({ from: token.from, to: caret, query: token.query, index: 0, wrap: false });
  };

  const accept = (item: ScopeVariable) => {
    if (!menu) return;
    let next: string;
    let caret: number;
    if (menu.wrap) {
      const insert = `{{ ${item.path} }}`;
      next = value.slice(0, menu.from) + insert + value.slice(menu.to);
      caret = menu.from + insert.length;
    } else {
      // The rest of the token being replaced goes; ` }}` is added unless the tag is already closed.
      const tail = value.slice(menu.to).replace(/^[A-Za-z0-9_.]*/, '');
      const nextClose = tail.search(/\}\}|%\}/);
      const nextOpen = tail.search(/\{\{|\{%/);
      const closed = nextClose >= 0 && (nextOpen < 0 || nextClose < nextOpen);
      const opener = value.lastIndexOf('{{', menu.from) > value.lastIndexOf('{%', menu.from) ? '}}' : '%}';
      const suffix = closed ? '' : ` ${opener}`;
      next = value.slice(0, menu.from) + item.path + suffix + tail;
      caret = menu.from + item.path.length + suffix.length;
    }
    caretAfter.current = caret;
    setMenu(null);
    onChange(next);
    ref.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!menu || items.length === 0) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setMenu({ ...menu, index: (menu.index + 1) % items.length });
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setMenu({ ...menu, index: (menu.index - 1 + items.length) % items.length });
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      accept(items[Math.min(menu.index, items.length - 1)]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setMenu(null);
    }
  };

  const openPicker = () => {
    const el = ref.current;
    const from = el?.selectionStart ?? value.length;
    const to = el?.selectionEnd ?? value.length;
    setMenu({ from, to, query: '', index: 0, wrap: true });
  };

  const lines = Math.min(8, Math.max(multiline ? 3 : 1, value.split('\n').length, Math.ceil(value.length / 38)));
  return (
    <div className="template-field">
      <div className="template-input">
        <textarea
          ref={ref}
          id={id}
          className={`mono${invalid ? ' invalid' : ''}`}
          value={value}
          rows={lines}
          maxLength={maxLength}
          spellCheck={false}
          data-testid={testId}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={!!menu && items.length > 0}
          aria-controls={listId}
          onChange={(e) => {
            onChange(e.target.value);
            refreshMenu(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setMenu(null), 150)}
          onClick={(e) => refreshMenu(value, e.currentTarget.selectionStart ?? value.length)}
        />
        <button
          type="button"
          className="btn-icon template-insert"
          title={t('template.insertVariable')}
          aria-label={t('template.insertVariable')}
          onMouseDown={(e) => e.preventDefault()}
          onClick={openPicker}
        >
          {'{x}'}
        </button>
      </div>
      {menu && (
        <ul className="autocomplete" role="listbox" id={listId}>
          {menu.wrap && (
            <li className="autocomplete-search">
              <input
                autoFocus
                placeholder={t('template.searchVariable')}
                value={menu.query}
                onChange={(e) => setMenu({ ...menu, query: e.target.value, index: 0 })}
                onKeyDown={(e) => onKeyDown(e as unknown as KeyboardEvent<HTMLTextAreaElement>)}
                onBlur={() => setTimeout(() => setMenu(null), 150)}
              />
            </li>
          )}
          {items.length === 0 && <li className="autocomplete-empty">{t('template.noVariables')}</li>}
          {items.map((item, i) => (
            <li
              key={item.path}
              role="option"
              aria-selected={i === menu.index}
              className={i === menu.index ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(item);
              }}
            >
              <span className="mono">{item.path}</span>
              <span className="autocomplete-hint">{item.detail ? `${t(HINT_KEYS[item.hint])} · ${item.detail}` : t(HINT_KEYS[item.hint])}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
