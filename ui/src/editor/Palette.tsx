/**
 * The palette: every node type and custom activity the API serves, grouped by category and
 * searchable. Drag an entry onto the canvas, or click it (or press Enter) to add it in view.
 */
import { memo, useMemo, useState, type DragEvent } from 'react';
import type { PaletteEntry } from '../../../workflows/language';
import { useT, type MessageKey } from '../i18n';
import { CategoryIcon } from './nodes/icons';
import { usePalette } from './palette-context';

export const DRAG_TYPE = 'application/cauce-node';

const CATEGORY_ORDER = ['trigger', 'conversation', 'logic', 'timing', 'ai', 'crm', 'notify', 'integration', 'experiment', 'custom', 'end'];

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export const Palette = memo(function Palette({ onAdd, disabled, hasStart }: { onAdd: (type: string) => void; disabled?: boolean; hasStart: boolean }) {
  const t = useT();
  const { entries, loading } = usePalette();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = fold(query.trim());
    const match = (e: PaletteEntry) => !q || fold(`${e.title} ${e.description} ${e.type}`).includes(q);
    const byCategory = new Map<string, PaletteEntry[]>();
    for (const e of entries.filter(match)) {
      const list = byCategory.get(e.category) ?? [];
      list.push(e);
      byCategory.set(e.category, list);
    }
    return [...byCategory.entries()].sort(([a], [b]) => ((CATEGORY_ORDER.indexOf(a) + 100) % 100) - ((CATEGORY_ORDER.indexOf(b) + 100) % 100));
  }, [entries, query]);

  const onDragStart = (event: DragEvent<HTMLElement>, type: string) => {
    event.dataTransfer.setData(DRAG_TYPE, type);
    event.dataTransfer.setData('text/plain', type);
    event.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="palette" aria-label={t('palette.title')} data-testid="palette">
      <div className="palette-search">
        <input type="search" placeholder={t('palette.search')} value={query} onChange={(e) => setQuery(e.target.value)} aria-label={t('palette.search')} />
      </div>
      <div className="palette-groups">
        {loading && entries.length === 0 && <div className="muted small">{t('common.loading')}</div>}
        {groups.length === 0 && <div className="muted small palette-empty">{t('palette.noMatch')}</div>}
        {groups.map(([category, list]) => (
          <section key={category} className="palette-group">
            <h3 className="palette-group-title">{t(`category.${category}` as MessageKey)}</h3>
            {list.map((e) => {
              const blocked = disabled || (e.type === 'start' && hasStart);
              return (
                <div
                  key={e.type}
                  className={`palette-item${blocked ? ' disabled' : ''}`}
                  data-category={e.category}
                  data-type={e.type}
                  data-testid={`palette-${e.type}`}
                  draggable={!blocked}
                  role="button"
                  tabIndex={blocked ? -1 : 0}
                  aria-disabled={blocked}
                  title={blocked && e.type === 'start' ? t('palette.oneStart') : e.description}
                  onDragStart={(ev) => onDragStart(ev, e.type)}
                  onClick={() => !blocked && onAdd(e.type)}
                  onKeyDown={(ev) => {
                    if (!blocked && (ev.key === 'Enter' || ev.key === ' ')) {
                      ev.preventDefault();
                      onAdd(e.type);
                    }
                  }}
                >
                  <span className="palette-icon">
                    <CategoryIcon category={e.category} size={14} />
                  </span>
                  <span className="palette-text">
                    <span className="palette-title">{e.title}</span>
                    <span className="palette-desc">{e.description}</span>
                  </span>
                </div>
              );
            })}
          </section>
        ))}
      </div>
    </aside>
  );
});
