import type { RunEventType } from '../../contracts/run-events';

/**
 * How the KPI SQL names run events: only through these helpers, typed by the run-event contract
 * (contracts/run-events.ts), so a misspelt or unknown event type is a compile error instead of a KPI
 * that silently counts nothing (the way `ai.summary` was counted before anything emitted it).
 *
 * Every type named here is also recorded in KPI_EVENT_READS when the SQL is built (at module load),
 * so run-event-names.spec.ts can check at run time, without a type checker, that the KPI code only
 * reads events the contract has.
 */
export const KPI_EVENT_READS = new Set<RunEventType>();

function read<T extends readonly RunEventType[]>(types: T): T {
  for (const t of types) KPI_EVENT_READS.add(t);
  return types;
}

/** A SQL list of event types: `('ai.reply', 'ai.summary')` (contract names only: no quoting needed). */
const sqlList = (types: readonly RunEventType[]): string => `(${types.map((t) => `'${t}'`).join(', ')})`;

/** The SQL literal of one event type: `'csat'`. */
export const eventType = (type: RunEventType): string => `'${read([type])[0]}'`;

/** `<column> = '<type>'`. */
export const typeIs = (type: RunEventType, column = 'type'): string => `${column} = ${eventType(type)}`;

/** `<column> IN ('<type>', ...)`. */
export const typeIn = (types: readonly RunEventType[], column = 'type'): string => `${column} IN ${sqlList(read(types))}`;

/** `<column> NOT IN ('<type>', ...)`. */
export const typeNotIn = (types: readonly RunEventType[], column = 'type'): string => `${column} NOT IN ${sqlList(read(types))}`;
