/** Small presentational pieces shared by every page. */
import { memo, useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useT, type MessageKey } from '../i18n';

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner" role="status" aria-live="polite">
      <span className="spinner-dot" aria-hidden="true" />
      {label && <span>{label}</span>}
    </span>
  );
}

export function EmptyState({ title, hint, children, testId }: { title: string; hint?: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <div className="empty-state-title">{title}</div>
      {hint && <div className="empty-state-hint">{hint}</div>}
      {children}
    </div>
  );
}

/** A readable message for an API error, in the UI's language. */
export function useErrorText() {
  const t = useT();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.status === 401) return t('error.unauthorized');
      if (error.status === 403) return t('error.forbidden');
      if (error.status === 404) return t('error.notFound');
      if (error.status === 429) return t('error.rateLimited');
      if (error.status >= 500) return t('error.server', { message: error.message });
      return error.message;
    }
    if (error instanceof TypeError) return t('error.network');
    return error instanceof Error ? error.message : String(error);
  };
}

export function ErrorMessage({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      {text(error)}
    </div>
  );
}

const FLOW_STATUS: Record<string, MessageKey> = { draft: 'status.draft', published: 'status.published', archived: 'status.archived' };
const RUN_STATUS: Record<string, MessageKey> = {
  running: 'run.status.running',
  waiting: 'run.status.waiting',
  completed: 'run.status.completed',
  failed: 'run.status.failed',
  cancelled: 'run.status.cancelled',
  terminated: 'run.status.terminated',
  timed_out: 'run.status.timed_out',
};

export function StatusBadge({ status, kind = 'flow' }: { status: string; kind?: 'flow' | 'run' }) {
  const t = useT();
  const key = (kind === 'flow' ? FLOW_STATUS : RUN_STATUS)[status];
  return <span className={`badge badge-${status}`}>{key ? t(key) : status}</span>;
}

/** A tiny inline line chart (no axes) for lists. */
export const Sparkline = memo(function Sparkline({
  values,
  width = 96,
  height = 24,
  label,
}: {
  values: number[];
  width?: number;
  height?: number;
  label: string;
}) {
  if (values.length === 0) return null;
  const max = Math.max(...values, 1);
  const min = Math.min(...values, 0);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const y = (v: number) => height - 2 - ((v - min) / (max - min || 1)) * (height - 4);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
});

export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const t = useT();
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    ref.current?.querySelector<HTMLElement>('input, textarea, select, button.btn-primary')?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? ' modal-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={id} ref={ref}>
        <div className="modal-header">
          <h2 id={id}>{title}</h2>
          <button type="button" className="btn-icon" onClick={onClose} aria-label={t('common.close')}>
            ×
          </button>
        </div>
        <div className="modal-body">{children}</div>
        {footer && <div className="modal-footer">{footer}</div>}
      </div>
    </div>
  );
}
