import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CAUCE_SEARCH_ATTRIBUTE_KEYS } from '../../contracts/search-attributes';

/** How the CLI's `--search-attribute Name=Type` and the operator API spell each attribute type Cauce uses. */
const TYPES: Partial<Record<SearchAttributeType, { cli: string; indexed: temporal.api.enums.v1.IndexedValueType }>> = {
  [SearchAttributeType.KEYWORD]: { cli: 'Keyword', indexed: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
  [SearchAttributeType.INT]: { cli: 'Int', indexed: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT },
};

function typeOf(key: (typeof CAUCE_SEARCH_ATTRIBUTE_KEYS)[number]) {
  const t = TYPES[key.type];
  if (!t) throw new Error(`search attribute ${key.name}: type ${key.type} has no mapping in libs/runtime/search-attributes.ts`);
  return t;
}

/**
 * The custom search attributes runs are listed by (contracts/search-attributes.ts), as the dev
 * server's `--search-attribute` arguments want them: `{ CauceFlowId: 'Keyword', ... }`.
 */
export const CAUCE_SEARCH_ATTRIBUTES: Record<string, string> = Object.fromEntries(CAUCE_SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, typeOf(k).cli]));

/** Against an external cluster, adds the attributes it lacks; returns their names. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = CAUCE_SEARCH_ATTRIBUTE_KEYS.filter((k) => !(k.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, typeOf(k).indexed])),
  });
  return missing.map((k) => k.name);
}
