// The editor's labels live in its dictionaries (ui/src/i18n), keyed `kpi.<id>` by the registry's ids:
// a KPI added to the registry without a Spanish and an English label fails here.
import { en } from '../../../ui/src/i18n/en';
import { es } from '../../../ui/src/i18n/es';
import { KPI_LIST } from './index';

describe('KPI labels', () => {
  it.each([
    ['es', es as Record<string, string>],
    ['en', en as Record<string, string>],
  ])('has a %s label for every KPI of the registry', (_locale, dictionary) => {
    const missing = KPI_LIST.map(({ kpi }) => `kpi.${kpi.id}`).filter((key) => !dictionary[key]?.trim());
    expect(missing).toEqual([]);
  });
});
