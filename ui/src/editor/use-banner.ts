/** The editor's floating banner: one message at a time; a success fades after six seconds. */
import { useEffect, useState } from 'react';

export interface Banner {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export function useBanner() {
  const [banner, setBanner] = useState<Banner | null>(null);
  useEffect(() => {
    if (banner?.kind !== 'success') return;
    const id = setTimeout(() => setBanner(null), 6000);
    return () => clearTimeout(id);
  }, [banner]);
  return { banner, showBanner: setBanner };
}
