/**
 * Display names for what the flow language names in code: built-in branch names, enum values and
 * data fields. Field names come from the language itself (bilingual); branches and enum values
 * from the UI dictionary, falling back to the raw name (user-defined branches such as option values
 * or intents are shown as written).
 */
import { useCallback } from 'react';
import { fieldName } from '../../../workflows/language/field-names';
import { useLocale, useT, type MessageKey } from '../i18n';
import { es } from '../i18n/es';

const has = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(es, key);

export function useBranchLabel(): (branch: string) => string {
  const t = useT();
  return useCallback((branch: string) => (has(`branch.${branch}`) ? t(`branch.${branch}` as MessageKey) : branch), [t]);
}

export function useEnumLabel(): (field: string, value: string) => string {
  const t = useT();
  return useCallback(
    (field: string, value: string) => {
      const specific = `enum.${field}.${value}`;
      if (has(specific)) return t(specific as MessageKey);
      const generic = `enum.${value}`;
      return has(generic) ? t(generic as MessageKey) : value;
    },
    [t],
  );
}

/** «Tiempo límite», «SLA», … for a data key, capitalised. */
export function useFieldLabel(): (key: string) => string {
  const [locale] = useLocale();
  return useCallback(
    (key: string) => {
      const name = fieldName(key, locale);
      const spaced = name === key ? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : name;
      return spaced.charAt(0).toUpperCase() + spaced.slice(1);
    },
    [locale],
  );
}
