/** A duration field (`15m`, `2h`, `1h30m`, `PT2H`) with a readable preview and quick picks. */
import { useId, useMemo } from 'react';
import { parseDuration } from '../../../../workflows/language';
import { useT } from '../../i18n';

const QUICK = ['30s', '5m', '15m', '1h', '4h', '1d', '7d'];

/** The duration preview: «= 1 h 30 min». */
export function useDurationText() {
  const t = useT();
  return useMemo(
    () => (value: string) => {
      try {
        let ms = parseDuration(value);
        const parts: string[] = [];
        const units: [number, 'unit.day' | 'unit.hour' | 'unit.minute' | 'unit.second'][] = [
          [86_400_000, 'unit.day'],
          [3_600_000, 'unit.hour'],
          [60_000, 'unit.minute'],
          [1000, 'unit.second'],
        ];
        for (const [size, key] of units) {
          const n = Math.floor(ms / size);
          if (n > 0) parts.push(`${n} ${t(key)}`);
          ms -= n * size;
        }
        if (ms > 0) parts.push(`${ms} ms`);
        return parts.join(' ') || '0';
      } catch {
        return null;
      }
    },
    [t],
  );
}

export function DurationField({ id, value, onChange, invalid }: { id: string; value: string; onChange: (v: string) => void; invalid?: boolean }) {
  const listId = useId();
  const preview = useDurationText()(value);
  return (
    <div className="inline-input">
      <input
        id={id}
        className={`mono duration-input${invalid ? ' invalid' : ''}`}
        value={value}
        list={listId}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
      />
      <datalist id={listId}>
        {QUICK.map((q) => (
          <option key={q} value={q} />
        ))}
      </datalist>
      {preview && <span className="muted small">= {preview}</span>}
    </div>
  );
}
