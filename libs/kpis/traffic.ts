import { windowSources } from './rollups';
import { KpiDb, Params, ratio, unionAll, withWorkMem } from './sql';

/**
 * Traffic on the graph, for the editor's overlay: how many runs entered each node, took each branch,
 * and where they stopped. The cohort is the same as the KPIs': runs of the flow started in
 * [from, to) (optionally of one version), with all their steps.
 *
 * - node `runs`: distinct runs that entered it (`node.entered`); `visits`: entries (loops count twice).
 * - edge `transitions`: `node.left` events of its source with its branch; `runs`: distinct runs;
 *   `share`: transitions / all exits of the source.
 * - `dropped`: runs whose last step was entering this node, without leaving it: `waiting` ones are
 *   still open there (a wait, an escalation), `ended` ones finished there (failed, cancelled);
 *   `dropOffRate` = dropped / runs. Runs that reach an `end` node leave it with no branch (`completed`).
 */
export interface TrafficQuery {
  flowId: string;
  from: Date;
  to: Date;
  version?: number;
}

export interface NodeTraffic {
  nodeId: string;
  type: string | null;
  runs: number;
  visits: number;
  exits: number;
  /** Runs that ended the flow here (an `end` node). */
  completed: number;
  dropped: number;
  waiting: number;
  ended: number;
  dropOffRate: number | null;
}

export interface EdgeTraffic {
  /** The edge id in the flow definition; null for a branch no edge of that version has. */
  id: string | null;
  source: string;
  sourceHandle: string;
  target: string | null;
  runs: number;
  transitions: number;
  share: number | null;
}

export interface TrafficReport {
  flowId: string;
  /** The version whose definition names the edges (the one asked for, or the latest published). */
  definitionVersion: number | null;
  from: string;
  to: string;
  runs: number;
  nodes: NodeTraffic[];
  edges: EdgeTraffic[];
}

interface Definition {
  nodes?: { id: string; type: string }[];
  edges?: { id: string; source: string; sourceHandle?: string | null; target: string }[];
}

export async function flowTraffic(db: KpiDb, q: TrafficQuery): Promise<TrafficReport> {
  if (!(q.from < q.to)) throw new RangeError('from must be before to');
  const p = new Params();
  const flow = p.add(q.flowId);
  const versionParam = q.version !== undefined ? p.add(q.version) : null;
  const version = (prefix: string) => (versionParam !== null ? ` AND ${prefix}version = ${versionParam}::int` : '');
  // Whole days from the daily rollups, the rest from the per-run node facts (see rollups.ts,
  // windowSources); both hold the same counts, so their sums are the window's.
  const w = windowSources(p, q.from, q.to, (prefix) => ` AND ${prefix}flow_id = ${flow}::uuid${version(prefix)}`);
  const days = w.daily('kpi_node_daily') !== null;
  const sql = `
    WITH nf AS MATERIALIZED (
      ${unionAll(...w.perRun('kpi_node_facts').map((from) => `SELECT node_id, node_type, visits, exits, exits_end, stopped, finished ${from}`))}
    )${
      days
        ? `,
    nd AS MATERIALIZED (
      SELECT node_id, node_type, runs, visits, stopped_waiting, stopped_ended ${w.daily('kpi_node_daily')}
    )`
        : ''
    }
    SELECT 'node' AS kind, node_id, max(node_type) AS node_type, NULL AS branch, sum(runs)::int AS runs, sum(visits)::int AS n FROM (
      ${unionAll(
        days && `SELECT node_id, node_type, runs, visits FROM nd WHERE runs > 0`,
        `SELECT node_id, node_type, 1 AS runs, visits FROM nf WHERE visits > 0`,
      )}
    ) x GROUP BY node_id
    UNION ALL
    SELECT 'exit', node_id, NULL, branch, sum(runs)::int, sum(transitions)::int FROM (
      ${unionAll(
        w.daily('kpi_edge_daily') && `SELECT node_id, branch, runs, transitions ${w.daily('kpi_edge_daily')}`,
        `SELECT nf.node_id, e.key AS branch, 1 AS runs, e.value::int AS transitions FROM nf CROSS JOIN LATERAL jsonb_each_text(nf.exits) AS e(key, value)`,
        `SELECT node_id, NULL, 1, exits_end FROM nf WHERE exits_end > 0`,
      )}
    ) x GROUP BY node_id, branch
    UNION ALL
    SELECT 'stop', node_id, NULL, branch, sum(runs)::int, sum(runs)::int FROM (
      ${unionAll(
        days && `SELECT node_id, 'waiting' AS branch, stopped_waiting AS runs FROM nd WHERE stopped_waiting > 0`,
        days && `SELECT node_id, 'ended', stopped_ended FROM nd WHERE stopped_ended > 0`,
        `SELECT node_id, CASE WHEN finished THEN 'ended' ELSE 'waiting' END AS branch, 1 AS runs FROM nf WHERE stopped`,
      )}
    ) x GROUP BY node_id, branch
    UNION ALL
    SELECT 'cohort', NULL, NULL, NULL, coalesce(sum(runs), 0)::int, coalesce(sum(runs), 0)::int FROM (
      ${unionAll(w.daily('kpi_daily') && `SELECT runs ${w.daily('kpi_daily')}`, ...w.perRun('kpi_run_facts').map((from) => `SELECT 1 AS runs ${from}`))}
    ) x`;
  const [rows, def] = await Promise.all([
    withWorkMem(db, (c) => c.query(sql, p.values)).then(
      (r) => r.rows as { kind: string; node_id: string | null; node_type: string | null; branch: string | null; runs: number; n: number }[],
    ),
    db
      .query(
        q.version === undefined
          ? `SELECT version, definition FROM flow_versions WHERE flow_id = $1 ORDER BY version DESC LIMIT 1`
          : `SELECT version, definition FROM flow_versions WHERE flow_id = $1 AND version = $2`,
        q.version === undefined ? [q.flowId] : [q.flowId, q.version],
      )
      .then((r) => r.rows[0] as { version: number; definition: Definition } | undefined),
  ]);

  const nodes = new Map<string, NodeTraffic>();
  const node = (id: string, type: string | null = null): NodeTraffic => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { nodeId: id, type, runs: 0, visits: 0, exits: 0, completed: 0, dropped: 0, waiting: 0, ended: 0, dropOffRate: null }));
    if (type && !n.type) n.type = type;
    return n;
  };
  for (const n of def?.definition.nodes ?? []) node(n.id, n.type);

  const edges = new Map<string, EdgeTraffic>();
  const edgeKey = (source: string, handle: string) => `${source}\u0000${handle}`;
  for (const e of def?.definition.edges ?? []) {
    const handle = e.sourceHandle ?? 'next';
    edges.set(edgeKey(e.source, handle), { id: e.id, source: e.source, sourceHandle: handle, target: e.target, runs: 0, transitions: 0, share: null });
  }

  let cohortRuns = 0;
  for (const r of rows) {
    if (r.kind === 'cohort') cohortRuns = r.runs;
    else if (r.kind === 'node') Object.assign(node(r.node_id!, r.node_type), { runs: r.runs, visits: r.n });
    else if (r.kind === 'exit') {
      const n = node(r.node_id!);
      n.exits += r.n;
      if (r.branch === null) n.completed += r.runs;
      else {
        const key = edgeKey(r.node_id!, r.branch);
        const e = edges.get(key) ?? { id: null, source: r.node_id!, sourceHandle: r.branch, target: null, runs: 0, transitions: 0, share: null };
        e.runs += r.runs;
        e.transitions += r.n;
        edges.set(key, e);
      }
    } else if (r.kind === 'stop') {
      const n = node(r.node_id!);
      n.dropped += r.runs;
      if (r.branch === 'waiting') n.waiting += r.runs;
      else n.ended += r.runs;
    }
  }
  for (const n of nodes.values()) n.dropOffRate = ratio(n.dropped, n.runs);
  for (const e of edges.values()) e.share = ratio(e.transitions, nodes.get(e.source)?.exits ?? 0);
  return {
    flowId: q.flowId,
    definitionVersion: def?.version ?? null,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    runs: cohortRuns,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
  };
}
