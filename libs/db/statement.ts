/** One SQL statement and its parameters. Builders number parameters from a given `$n`, so statements can be joined. */
export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * Writes to several tables as one statement: each part a data-modifying CTE whose rows are counted,
 * so one round trip and one implicit transaction do what BEGIN, one statement per part and COMMIT
 * did. Parts must number their parameters one after another (`$1..`, then from `$values.length + 1`).
 * Answers one count per part, in order (the rows each wrote: what RETURNING gives for it).
 */
export function countedWrites(parts: Statement[]): Statement {
  const ctes = parts.map((p, i) => `w${i} AS (${p.text} RETURNING 1)`);
  const counts = parts.map((_, i) => `(SELECT count(*) FROM w${i})::int AS c${i}`);
  return { text: `WITH ${ctes.join(',\n')}\nSELECT ${counts.join(', ')}`, values: parts.flatMap((p) => p.values) };
}
