import { fireEvent, render, screen, within } from '@testing-library/react';
import { I18nProvider } from '../i18n';
import { bindingFor, KEYMAP, keysOf, type KeyPress, type ShortcutAction } from './keymap';
import { ShortcutsDialog } from './ShortcutsDialog';
import { useShortcuts, type ShortcutHandlers } from './use-shortcuts';

// Every action, checked by the compiler: a new action must be listed here, and then bound below.
const ACTIONS: Record<ShortcutAction, true> = {
  undo: true,
  redo: true,
  copy: true,
  cut: true,
  paste: true,
  duplicate: true,
  selectAll: true,
  save: true,
  layout: true,
  fit: true,
  help: true,
};

const press = (key: string, mod = false, shift = false): KeyPress => ({ key, mod, shift });
const anywhere = { typing: false, readOnly: false };

describe('the keymap', () => {
  it('binds every action exactly once, and no key press to two actions', () => {
    const bound = KEYMAP.flatMap((s) => s.bindings.map((b) => b.action));
    expect([...bound].sort()).toEqual(Object.keys(ACTIONS).sort());
    const keys = [...'abcdefghijklmnopqrstuvwxyz?', 'delete', 'backspace'];
    for (const key of keys) {
      for (const mod of [false, true]) {
        for (const shift of [false, true]) {
          const matching = KEYMAP.flatMap((s) => s.bindings).filter((b) => b.matches(press(key, mod, shift)));
          expect(matching.length).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('saves even while typing; other shortcuts leave the keys to the field', () => {
    expect(bindingFor(press('s', true), { typing: true, readOnly: false })?.action).toBe('save');
    expect(bindingFor(press('z', true), { typing: true, readOnly: false })).toBeNull();
    expect(bindingFor(press('?'), { typing: true, readOnly: false })).toBeNull();
    expect(bindingFor(press('z', true), anywhere)?.action).toBe('undo');
    expect(bindingFor(press('z', true, true), anywhere)?.action).toBe('redo');
    expect(bindingFor(press('y', true), anywhere)?.action).toBe('redo');
    expect(bindingFor(press('l', false, true), anywhere)?.action).toBe('layout');
    expect(bindingFor(press('l', true, true), anywhere)).toBeNull();
    expect(bindingFor(press('f'), anywhere)?.action).toBe('fit');
  });

  it('ignores editing shortcuts on a read-only flow, but still copies and selects', () => {
    const readOnly = { typing: false, readOnly: true };
    for (const [key, shift] of [
      ['z', false],
      ['z', true],
      ['x', false],
      ['v', false],
      ['d', false],
    ] as const)
      expect(bindingFor(press(key, true, shift), readOnly)).toBeNull();
    expect(bindingFor(press('l', false, true), readOnly)).toBeNull();
    expect(bindingFor(press('c', true), readOnly)?.action).toBe('copy');
    expect(bindingFor(press('a', true), readOnly)?.action).toBe('selectAll');
  });

  it('is what the shortcuts dialog lists', () => {
    render(
      <I18nProvider initialLocale="en">
        <ShortcutsDialog onClose={() => undefined} />
      </I18nProvider>,
    );
    const rows = within(screen.getByTestId('shortcuts')).getAllByRole('row');
    expect(rows).toHaveLength(KEYMAP.length);
    expect(rows[0]).toHaveTextContent(`${keysOf('undo', 'Ctrl')}Undo`);
    expect(rows.map((r) => r.querySelector('kbd')?.textContent)).toEqual(KEYMAP.map((s) => s.keys('Ctrl')));
  });
});

function Keys({ handlers, readOnly }: { handlers: ShortcutHandlers; readOnly: boolean }) {
  useShortcuts(handlers, readOnly);
  return <input data-testid="field" />;
}

describe('the key handler', () => {
  const handlers = () =>
    Object.fromEntries(Object.keys(ACTIONS).map((a) => [a, jest.fn(() => a !== 'copy')])) as unknown as Record<ShortcutAction, jest.Mock<boolean>>;

  it('runs the bound action and keeps the browser’s meaning of a key only when the action did not use it', () => {
    const h = handlers();
    render(<Keys handlers={h} readOnly={false} />);
    const undo = fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(h.undo).toHaveBeenCalledTimes(1);
    expect(undo).toBe(false); // default prevented
    const copy = fireEvent.keyDown(window, { key: 'c', metaKey: true });
    expect(h.copy).toHaveBeenCalledTimes(1);
    expect(copy).toBe(true); // nothing copied: the browser copies as usual
    fireEvent.keyDown(screen.getByTestId('field'), { key: 'z', ctrlKey: true });
    expect(h.undo).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByTestId('field'), { key: 's', ctrlKey: true });
    expect(h.save).toHaveBeenCalledTimes(1);
  });

  it('follows a flow becoming read-only', () => {
    const h = handlers();
    const { rerender } = render(<Keys handlers={h} readOnly={false} />);
    rerender(<Keys handlers={h} readOnly />);
    fireEvent.keyDown(window, { key: 'd', ctrlKey: true });
    expect(h.duplicate).not.toHaveBeenCalled();
  });
});
