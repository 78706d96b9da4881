/** The keyboard shortcuts, listed from the keymap the key handler uses. */
import { Modal } from '../components/common';
import { useT } from '../i18n';
import { KEYMAP, modKeyName } from './keymap';

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const mod = modKeyName();
  return (
    <Modal title={t('shortcuts.title')} onClose={onClose}>
      <table className="table shortcuts" data-testid="shortcuts">
        <tbody>
          {KEYMAP.map((shortcut) => (
            <tr key={shortcut.label}>
              <td>
                <kbd>{shortcut.keys(mod)}</kbd>
              </td>
              <td>{t(shortcut.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
