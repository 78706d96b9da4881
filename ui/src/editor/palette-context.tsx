/**
 * The palette model: every node type and custom activity from `GET /api/activities` (generated from
 * the catalog and the registry on the server; nothing here is kept by hand). When the API cannot be
 * read (a role without access), the same catalog is built locally from the flow language.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { catalogForPalette, customActivityName, isCustomActivityType, type CustomActivityRegistry, type PaletteEntry } from '../../../workflows/language';
import { useApi } from '../auth/AuthContext';
import { useLocale } from '../i18n';

export interface PaletteModel {
  entries: PaletteEntry[];
  byType: Map<string, PaletteEntry>;
  /** Custom activities as the validator wants them. */
  customActivities: CustomActivityRegistry;
  source: 'api' | 'local';
  loading: boolean;
}

export function buildPaletteModel(entries: PaletteEntry[], source: 'api' | 'local', loading = false): PaletteModel {
  const customActivities: CustomActivityRegistry = {};
  for (const e of entries) {
    if (!isCustomActivityType(e.type)) continue;
    const input = (e.dataSchema.properties as Record<string, unknown> | undefined)?.input;
    customActivities[customActivityName(e.type)] = {
      title: e.title,
      description: e.description,
      inputSchema: (input as Record<string, unknown>) ?? { type: 'object' },
      ...(e.outputSchema ? { outputSchema: e.outputSchema } : {}),
    };
  }
  return { entries, byType: new Map(entries.map((e) => [e.type, e])), customActivities, source, loading };
}

const PaletteContext = createContext<PaletteModel>(buildPaletteModel(catalogForPalette('es'), 'local'));

export function PaletteProvider({ children, remote = true }: { children: ReactNode; remote?: boolean }) {
  const api = useApi();
  const [locale] = useLocale();
  const local = useMemo(() => buildPaletteModel(catalogForPalette(locale), 'local', remote), [locale, remote]);
  const [model, setModel] = useState<PaletteModel>(local);
  useEffect(() => {
    setModel(local);
    if (!remote) return;
    let cancelled = false;
    api.palette(locale).then(
      (palette) => !cancelled && setModel(buildPaletteModel(palette.items, 'api')),
      () => !cancelled && setModel({ ...local, loading: false }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, locale, remote, local]);
  return <PaletteContext.Provider value={model}>{children}</PaletteContext.Provider>;
}

export function usePalette(): PaletteModel {
  return useContext(PaletteContext);
}

export function usePaletteEntry(type: string): PaletteEntry | undefined {
  return useContext(PaletteContext).byType.get(type);
}
