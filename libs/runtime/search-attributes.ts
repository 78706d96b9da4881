import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * The custom search attributes runs are listed by. The dev server registers them at start;
 * against an external cluster, `ensureSearchAttributes` adds the missing ones.
 */
export const CAUCE_SEARCH_ATTRIBUTES = {
  CauceFlowId: 'Keyword',
  CauceFlowVersion: 'Int',
  CauceCustomerId: 'Keyword',
  CauceStatus: 'Keyword',
} as const;

const TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(CAUCE_SEARCH_ATTRIBUTES).filter(([name]) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, TYPES[type]])),
  });
  return missing.map(([name]) => name);
}
