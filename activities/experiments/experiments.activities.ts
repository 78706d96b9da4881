import type { Pool } from 'pg';
import { variantCounts } from '../../libs/kpis/experiments';
import { ArmStats, seededRng, thompsonPick } from '../../libs/kpis/stats';
import type { AssignVariantInput, AssignVariantOutput, ExperimentActivities } from '../../contracts/activities';
import { classifyDbError, invalidInput } from '../errors';

export interface ExperimentActivityDeps {
  pool: Pool;
  /** How long per-variant counts are reused for new assignments (ms). Default 10 s. */
  statsTtlMs?: number;
  /** Clock for the cache (tests). */
  now?: () => number;
}

/**
 * `assignExperimentVariant`: the adaptive abSplit (`adaptive: true`), by Thompson sampling.
 *
 * 1. A subject (customer, or run without one) already assigned in this flow's experiment gets that
 *    variant again: `experiment_assignments` keeps the **first assignment, which wins forever**, so a
 *    returning customer always sees the same variant, whatever the traffic split has become since.
 * 2. Otherwise the counts per variant (exposed subjects, and those that converted: see
 *    libs/kpis/experiments.ts) are read (cached for `statsTtlMs`), each active variant (weight > 0)
 *    draws θ ~ Beta(1 + conversions, 1 + non-conversions) from a PRNG seeded by
 *    hash(experiment, subject), and the largest draw wins. The better a variant converts, the more
 *    new subjects it gets; the seed makes a retried call with the same counts pick the same variant.
 * 3. The pick is inserted with ON CONFLICT DO NOTHING; if another run of the same subject got there
 *    first, its variant is returned instead. The interpreter records the result (a local-activity
 *    marker, so replays never call again) and the exposure event.
 */
export function createExperimentActivities(deps: ExperimentActivityDeps): ExperimentActivities {
  const ttl = deps.statsTtlMs ?? 10_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; counts: Promise<Map<string, { exposures: number; conversions: number }>> }>();

  function stats(flowId: string, experiment: string) {
    const key = `${flowId}\u0000${experiment}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttl) return hit.counts;
    const counts = variantCounts(deps.pool, { flowId, experiment }).then(
      (rows) => new Map(rows.filter((r) => r.experiment === experiment).map((r) => [r.variant, { exposures: r.exposures, conversions: r.conversions }])),
    );
    cache.set(key, { at: now(), counts });
    counts.catch(() => cache.delete(key));
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return counts;
  }

  return {
    async assignExperimentVariant(input: AssignVariantInput): Promise<AssignVariantOutput> {
      const { flowId, experiment, subject } = input;
      const variants = (input.variants ?? []).filter((v) => typeof v?.id === 'string');
      if (!flowId || !experiment || !subject || variants.length === 0)
        throw invalidInput('assignExperimentVariant needs flowId, experiment, subject and variants');
      try {
        const existing = await deps.pool.query<{ variant: string }>(
          `SELECT variant FROM experiment_assignments WHERE flow_id = $1 AND experiment = $2 AND subject = $3`,
          [flowId, experiment, subject],
        );
        const kept = existing.rows[0]?.variant;
        if (kept !== undefined && variants.some((v) => v.id === kept)) return { variant: kept, assignment: 'existing' };

        const counts = await stats(flowId, experiment);
        const active = variants.filter((v) => v.weight > 0);
        const arms: ArmStats[] = (active.length ? active : variants).map((v) => {
          const c = counts.get(v.id) ?? { exposures: 0, conversions: 0 };
          return { id: v.id, successes: c.conversions, failures: Math.max(0, c.exposures - c.conversions) };
        });
        const picked = thompsonPick(arms, seededRng(`${experiment}\u0000${subject}`));

        if (kept !== undefined) {
          // The variant it had is gone from the node: the new pick replaces it.
          await deps.pool.query(
            `UPDATE experiment_assignments SET variant = $4, run_id = $5, assigned_at = now() WHERE flow_id = $1 AND experiment = $2 AND subject = $3`,
            [flowId, experiment, subject, picked, input.ctx?.runId ?? null],
          );
          return { variant: picked, assignment: 'new' };
        }
        const inserted = await deps.pool.query<{ variant: string }>(
          `INSERT INTO experiment_assignments (flow_id, experiment, subject, variant, run_id) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (flow_id, experiment, subject) DO NOTHING RETURNING variant`,
          [flowId, experiment, subject, picked, input.ctx?.runId ?? null],
        );
        if (inserted.rows[0]) return { variant: picked, assignment: 'new' };
        const winner = await deps.pool.query<{ variant: string }>(
          `SELECT variant FROM experiment_assignments WHERE flow_id = $1 AND experiment = $2 AND subject = $3`,
          [flowId, experiment, subject],
        );
        return { variant: winner.rows[0]?.variant ?? picked, assignment: 'existing' };
      } catch (err) {
        throw classifyDbError(err, 'the experiment assignment could not be stored');
      }
    },
  };
}
