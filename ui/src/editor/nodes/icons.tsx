/** Small category icons for the palette and the nodes (inline SVG, no icon font). */
import { memo } from 'react';

const PATHS: Record<string, string> = {
  trigger: 'M8 5v14l11-7z',
  conversation: 'M4 5h16v10H9l-5 4z',
  logic: 'M12 3l9 9-9 9-9-9z',
  timing: 'M12 3a9 9 0 100 18 9 9 0 000-18zm0 4v5l3 2',
  ai: 'M12 3l2 6 6 2-6 2-2 6-2-6-6-2 6-2z',
  crm: 'M12 12a4 4 0 100-8 4 4 0 000 8zm-7 9c0-4 3-6 7-6s7 2 7 6',
  notify: 'M6 16V11a6 6 0 1112 0v5l2 2H4zm4 3a2 2 0 004 0',
  integration: 'M9 7V3m6 4V3M7 7h10v4a5 5 0 01-10 0zm5 9v5',
  experiment: 'M9 3h6m-5 0v6l-5 9a2 2 0 002 3h10a2 2 0 002-3l-5-9V3',
  end: 'M6 6h12v12H6z',
  custom: 'M4 8l8-4 8 4v8l-8 4-8-4zm0 0l8 4 8-4m-8 4v8',
};

export const CategoryIcon = memo(function CategoryIcon({ category, size = 16 }: { category: string; size?: number }) {
  const filled = category === 'trigger' || category === 'end' || category === 'logic' || category === 'ai';
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" className="category-icon">
      <path
        d={PATHS[category] ?? PATHS.custom}
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth={filled ? 0 : 2}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
});
