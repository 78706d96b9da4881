import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testInfra } from '../../test/infra';
import { createFlowActivities } from './flows.activities';

describe('loadFlowVersion', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('loads the latest or a given published version, and fails non-retryably for unknown flows', async () => {
    const { loadFlowVersion } = createFlowActivities({ pool });
    const flowId = randomUUID();
    const definition = (n: number) => ({ nodes: [{ id: `n${n}` }], edges: [] });
    await pool.query(`INSERT INTO flows (id, name, draft) VALUES ($1, 'sub', $2)`, [flowId, definition(0)]);
    await pool.query(`INSERT INTO flow_versions (flow_id, version, definition) VALUES ($1, 1, $2), ($1, 2, $3)`, [flowId, definition(1), definition(2)]);
    expect(await loadFlowVersion({ flowId })).toEqual({ flowId, version: 2, definition: definition(2) });
    expect(await loadFlowVersion({ flowId, version: 1 })).toEqual({ flowId, version: 1, definition: definition(1) });
    await expect(loadFlowVersion({ flowId, version: 3 })).rejects.toMatchObject({ nonRetryable: true, type: 'FlowNotPublished' });
    await expect(loadFlowVersion({ flowId: randomUUID() })).rejects.toMatchObject({ nonRetryable: true });
    await expect(loadFlowVersion({ flowId: 'nope' })).rejects.toMatchObject({ nonRetryable: true });
  });
});
