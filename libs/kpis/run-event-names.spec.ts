import fs from 'node:fs';
import path from 'node:path';
import { LLM_USAGE_EVENT_TYPES, RUN_EVENT_TYPES } from '../../contracts/run-events';
import { variantCounts } from './experiments';
import { RECOMPUTE_FACTS_SQL } from './facts';
import { NODE_FACTS_SQL } from './rollups';
import { KPI_EVENT_READS } from './run-event-sql';

/**
 * The KPI code reads run events by the contract's names only (run-event-sql.ts). This lists every
 * type it reads and fails on one the contract does not have: a KPI counting an event nothing can
 * emit counts nothing (contracts/run-events.spec.ts checks the interpreter can emit every type).
 */
describe('the run events the KPIs read', () => {
  beforeAll(async () => {
    // variantCounts builds its SQL per call: run it on a fake database to record what it reads.
    await variantCounts({ query: async () => ({ rows: [] }) } as never, { flowId: 'f' });
  });

  it('are all event types of the contract', () => {
    const unknown = [...KPI_EVENT_READS].filter((t) => !(RUN_EVENT_TYPES as readonly string[]).includes(t));
    expect(unknown).toEqual([]);
  });

  it('include what every KPI family counts (a broken collection would pass everything)', () => {
    for (const t of [
      'run.started',
      'run.finished',
      'message.in',
      'message.out',
      'csat',
      'goal',
      'escalation.tier',
      'escalation.accepted',
      'escalation.resolved',
      'escalation.returned',
      'node.entered',
      'node.left',
      'experiment.exposure',
      ...LLM_USAGE_EVENT_TYPES,
    ] as const) {
      expect([t, KPI_EVENT_READS.has(t)]).toEqual([t, true]);
    }
  });

  it('count the tokens of the escalation summary in the run and node facts', () => {
    for (const sql of [RECOMPUTE_FACTS_SQL, NODE_FACTS_SQL]) expect(sql).toContain(`'ai.summary'`);
  });

  it('are never written as SQL string literals outside run-event-sql.ts', () => {
    const dir = __dirname;
    const files = (function list(d: string): string[] {
      return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name)]));
    })(dir).filter((f) => f.endsWith('.ts') && !/\.(spec|itest)\.ts$/.test(f) && !f.endsWith('synthetic-events.ts') && !f.endsWith('run-event-sql.ts'));
    // `type = 'x'`, `type IN ('x', ...)`, `kind = 'x'` where x is a run-event type.
    const literal = /\b(?:type|kind)\s*(?:=|<>|(?:NOT\s+)?IN)\s*\(?\s*'([^']+)'/gi;
    const found = files.flatMap((f) =>
      [...fs.readFileSync(f, 'utf8').matchAll(literal)]
        .filter((m) => (RUN_EVENT_TYPES as readonly string[]).includes(m[1]) || m[1].includes('.'))
        .map((m) => `${path.relative(dir, f)}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });
});
