import { ArmStats, bonferroniLevel, holmAdjust, probabilityBest, twoProportionTest } from './stats';
import { KpiDb, Params } from './sql';
import { typeIs } from './run-event-sql';

/**
 * Experiment results per abSplit experiment of a flow.
 *
 * - The unit is the **subject**: the run's customer id, or the run id for runs without a customer
 *   (the abSplit node assigns per customer, so a customer seen in three runs counts once).
 * - **Exposures** of a variant: subjects with an `experiment.exposure` event for it in [from, to).
 * - **Conversions**: of those, subjects with a `goal` event (any goal, or the `goal` asked for) whose
 *   `data.experiments[experiment]` is that variant, at or after their first exposure in the window;
 *   goals after `to` count too (the cohort is fixed by exposure, its conversions mature).
 * - Each variant is compared with the control (the first variant of the abSplit node, or `control`):
 *   lift = (p − p₀)/p₀, the two-proportion z-test's two-sided p-value, and the Wald interval of
 *   p − p₀ (see stats.ts).
 * - **Multiple comparisons**: with more than two variants there are m > 1 comparisons with the
 *   control, and testing each at alpha would find a "significant" variant by chance far more often
 *   than alpha. The p-values are adjusted by Holm–Bonferroni over the m comparisons (both reported);
 *   significance uses the adjusted one, and the intervals are Bonferroni's simultaneous ones, each at
 *   1 − 0.05/m (all m together at 95%). With two variants nothing changes: m = 1, adjusted = raw, 95%.
 * - A **winner** is declared only when every variant has at least `minSample` exposures and the
 *   best variant's rate is significantly higher than every other variant's: its k − 1 comparisons
 *   are one family, Holm-adjusted like the above, and every adjusted p must be below alpha.
 */
export interface ExperimentQuery {
  flowId: string;
  from: Date;
  to: Date;
  version?: number;
  /** Count only this goal as a conversion; default any goal. */
  goal?: string;
  /** Variant to compare the others with; default the first variant of the node. */
  control?: string;
  minSample: number;
  alpha: number;
}

export interface VariantComparison {
  difference: number | null;
  lift: number | null;
  /** The interval of `difference` at the experiment's `ciLevel`. */
  ciLow: number | null;
  ciHigh: number | null;
  z: number | null;
  /** The test's own two-sided p-value (unadjusted). */
  pValue: number | null;
  /** Holm–Bonferroni adjusted over the experiment's comparisons with the control; equals pValue when there is one. */
  pValueAdjusted: number | null;
  /** pValueAdjusted < alpha, and both sides have at least minSample exposures. */
  significant: boolean;
}

/** The family-wise confidence of the intervals: each of m intervals is at 1 − (1 − 0.95)/m. */
export const EXPERIMENT_CI_LEVEL = 0.95;

export interface VariantResult {
  id: string;
  /** Configured weight in the flow definition (null for a variant no longer in it). */
  weight: number | null;
  exposures: number;
  conversions: number;
  rate: number | null;
  isControl: boolean;
  /** Against the control; null for the control itself. */
  vsControl: VariantComparison | null;
  /** P(best) under Beta(1 + conversions, 1 + non-conversions): the share an adaptive split would send it now. */
  probabilityBest: number;
}

export interface ExperimentResult {
  experiment: string;
  nodeId: string | null;
  adaptive: boolean;
  control: string;
  goal: string | null;
  minSample: number;
  alpha: number;
  /** Comparisons with the control that have a p-value (variants with exposures, besides the control). */
  comparisons: number;
  /** `holm` when comparisons > 1 (p-values adjusted, intervals widened), else `none`. */
  correction: 'holm' | 'none';
  /** Confidence level of each interval: 0.95 with one comparison, 1 − 0.05/m (Bonferroni) with m. */
  ciLevel: number;
  exposures: number;
  conversions: number;
  variants: VariantResult[];
  status: 'insufficient_data' | 'no_significant_difference' | 'winner';
  winner: string | null;
}

export interface ExperimentReport {
  flowId: string;
  from: string;
  to: string;
  experiments: ExperimentResult[];
}

export interface SplitNode {
  nodeId: string;
  experiment: string;
  variants: { id: string; weight: number }[];
  adaptive: boolean;
}

/** The abSplit nodes of a flow version (default the latest published), by experiment key. */
export async function experimentNodes(db: KpiDb, flowId: string, version?: number): Promise<Map<string, SplitNode>> {
  const r = await db.query(
    version === undefined
      ? `SELECT definition FROM flow_versions WHERE flow_id = $1 ORDER BY version DESC LIMIT 1`
      : `SELECT definition FROM flow_versions WHERE flow_id = $1 AND version = $2`,
    version === undefined ? [flowId] : [flowId, version],
  );
  const nodes = new Map<string, SplitNode>();
  const definition = r.rows[0]?.definition as { nodes?: { id: string; type: string; data?: Record<string, unknown> }[] } | undefined;
  for (const n of definition?.nodes ?? []) {
    if (n.type !== 'abSplit' || typeof n.data?.experiment !== 'string') continue;
    const variants = Array.isArray(n.data.variants) ? (n.data.variants as { id: string; weight: number }[]) : [];
    nodes.set(n.data.experiment, { nodeId: n.id, experiment: n.data.experiment, variants, adaptive: n.data.adaptive === true });
  }
  return nodes;
}

/** Exposed and converted subjects per experiment and variant (all time when from/to are omitted). */
export async function variantCounts(
  db: KpiDb,
  q: { flowId: string; from?: Date; to?: Date; version?: number; goal?: string; experiment?: string },
): Promise<{ experiment: string; variant: string; exposures: number; conversions: number }[]> {
  const p = new Params();
  const flow = p.add(q.flowId);
  let exposed = `${typeIs('experiment.exposure')} AND flow_id = ${flow}::uuid`;
  let goals = `${typeIs('goal', 'g.type')} AND g.flow_id = ${flow}::uuid`;
  if (q.experiment !== undefined) {
    const e = p.add(q.experiment);
    exposed += ` AND data->>'experiment' = ${e}`;
    goals += ` AND g.data->'experiments' ? ${e}`;
  }
  if (q.from) {
    const from = p.add(q.from);
    exposed += ` AND occurred_at >= ${from}`;
    goals += ` AND g.occurred_at >= ${from}`;
  }
  if (q.to) exposed += ` AND occurred_at < ${p.add(q.to)}`;
  if (q.version !== undefined) exposed += ` AND version = ${p.add(q.version)}::int`;
  if (q.goal !== undefined) goals += ` AND g.data->>'goal' = ${p.add(q.goal)}`;
  const sql = `
    WITH exposed AS (
      SELECT data->>'experiment' AS experiment, data->>'variant' AS variant, coalesce(customer_id, run_id) AS subject, min(occurred_at) AS first_at
      FROM run_events WHERE ${exposed}
      GROUP BY 1, 2, 3
    ),
    converted AS (
      SELECT x.key AS experiment, x.value AS variant, coalesce(g.customer_id, g.run_id) AS subject, max(g.occurred_at) AS last_at
      FROM run_events g
      CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(g.data->'experiments') = 'object' THEN g.data->'experiments' ELSE '{}'::jsonb END) x
      WHERE ${goals}
      GROUP BY 1, 2, 3
    )
    SELECT e.experiment, e.variant, count(*)::int AS exposures, count(c.subject) FILTER (WHERE c.last_at >= e.first_at)::int AS conversions
    FROM exposed e LEFT JOIN converted c USING (experiment, variant, subject)
    GROUP BY 1, 2`;
  return (await db.query(sql, p.values)).rows;
}

/** Every experiment of the flow with its variants, lift, significance and winner. */
export async function experimentResults(db: KpiDb, q: ExperimentQuery): Promise<ExperimentReport> {
  if (!(q.from < q.to)) throw new RangeError('from must be before to');
  const [nodes, counts] = await Promise.all([experimentNodes(db, q.flowId, q.version), variantCounts(db, q)]);
  const byExperiment = new Map<string, Map<string, { exposures: number; conversions: number }>>();
  for (const node of nodes.values()) byExperiment.set(node.experiment, new Map(node.variants.map((v) => [v.id, { exposures: 0, conversions: 0 }])));
  for (const c of counts) {
    if (c.experiment === null || c.variant === null) continue;
    let m = byExperiment.get(c.experiment);
    if (!m) byExperiment.set(c.experiment, (m = new Map()));
    m.set(c.variant, { exposures: c.exposures, conversions: c.conversions });
  }
  const experiments: ExperimentResult[] = [];
  for (const [experiment, variants] of byExperiment) {
    const node = nodes.get(experiment);
    const order = [...(node?.variants.map((v) => v.id) ?? []), ...[...variants.keys()].filter((id) => !node?.variants.some((v) => v.id === id)).sort()];
    experiments.push(analyseExperiment(experiment, node, order, variants, q));
  }
  experiments.sort((a, b) => a.experiment.localeCompare(b.experiment));
  return { flowId: q.flowId, from: q.from.toISOString(), to: q.to.toISOString(), experiments };
}

/**
 * One experiment's analysis from its counts (pure; exported for tests): comparisons with the control,
 * Holm-adjusted, and the winner. `order` lists the variants, the node's first.
 */
export function analyseExperiment(
  experiment: string,
  node: SplitNode | undefined,
  order: string[],
  counts: Map<string, { exposures: number; conversions: number }>,
  q: Pick<ExperimentQuery, 'control' | 'goal' | 'minSample' | 'alpha'>,
): ExperimentResult {
  const control = q.control !== undefined && counts.has(q.control) ? q.control : order[0];
  const c = counts.get(control)!;
  const arms: ArmStats[] = order.map((id) => ({
    id,
    successes: counts.get(id)!.conversions,
    failures: counts.get(id)!.exposures - counts.get(id)!.conversions,
  }));
  const pBest = probabilityBest(arms, 4000, `probability-best:${experiment}`);
  // A comparison has a p-value when both sides have exposures; those make the family.
  const others = order.filter((id) => id !== control);
  const comparisons = c.exposures > 0 ? others.filter((id) => counts.get(id)!.exposures > 0).length : 0;
  const ciLevel = bonferroniLevel(EXPERIMENT_CI_LEVEL, comparisons);
  const tests = new Map(
    others.map((id) => {
      const v = counts.get(id)!;
      return [id, twoProportionTest({ x: c.conversions, n: c.exposures }, { x: v.conversions, n: v.exposures }, ciLevel)];
    }),
  );
  const adjusted = holmAdjust(others.map((id) => tests.get(id)!.pValue));
  const variants: VariantResult[] = order.map((id) => {
    const v = counts.get(id)!;
    const isControl = id === control;
    let vsControl: VariantComparison | null = null;
    if (!isControl) {
      const t = tests.get(id)!;
      const pValueAdjusted = adjusted[others.indexOf(id)];
      vsControl = {
        difference: t.difference,
        lift: t.lift,
        ciLow: t.ci?.[0] ?? null,
        ciHigh: t.ci?.[1] ?? null,
        z: t.z,
        pValue: t.pValue,
        pValueAdjusted,
        significant: pValueAdjusted !== null && pValueAdjusted < q.alpha && v.exposures >= q.minSample && c.exposures >= q.minSample,
      };
    }
    return {
      id,
      weight: node?.variants.find((x) => x.id === id)?.weight ?? null,
      exposures: v.exposures,
      conversions: v.conversions,
      rate: v.exposures > 0 ? v.conversions / v.exposures : null,
      isControl,
      vsControl,
      probabilityBest: pBest[id] ?? 0,
    };
  });

  let status: ExperimentResult['status'] = 'no_significant_difference';
  let winner: string | null = null;
  if (variants.length < 2 || variants.some((v) => v.exposures < q.minSample)) status = 'insufficient_data';
  else {
    const best = [...variants].sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0))[0];
    // The best against each other variant: one family of k − 1 tests, Holm-adjusted like the above.
    const rivals = variants
      .filter((v) => v.id !== best.id)
      .map((v) => twoProportionTest({ x: v.conversions, n: v.exposures }, { x: best.conversions, n: best.exposures }));
    const rivalsAdjusted = holmAdjust(rivals.map((t) => t.pValue));
    const beatsAll = rivals.every((t, i) => (t.difference ?? 0) > 0 && rivalsAdjusted[i] !== null && rivalsAdjusted[i]! < q.alpha);
    if (beatsAll) {
      status = 'winner';
      winner = best.id;
    }
  }
  return {
    experiment,
    nodeId: node?.nodeId ?? null,
    adaptive: node?.adaptive ?? false,
    control,
    goal: q.goal ?? null,
    minSample: q.minSample,
    alpha: q.alpha,
    comparisons,
    correction: comparisons > 1 ? 'holm' : 'none',
    ciLevel,
    exposures: variants.reduce((s, v) => s + v.exposures, 0),
    conversions: variants.reduce((s, v) => s + v.conversions, 0),
    variants,
    status,
    winner,
  };
}
