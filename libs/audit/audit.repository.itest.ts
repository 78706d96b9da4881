// The audit log repository against a real PostgreSQL: newest first by id, also where ids gain a digit.
import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { AuditRepository } from './audit.repository';

describe('AuditRepository (real PostgreSQL)', () => {
  let pool: Pool;
  let repo: AuditRepository;
  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 2 });
    repo = new AuditRepository(pool);
  });
  afterAll(async () => {
    await pool?.end();
  });

  const append = (targetId: string, n: number) =>
    repo.append({ actorId: 'a', actorName: 'tester', actorRole: 'admin', action: 'flow.updated', targetType: 'flow', targetId, details: { n } });

  it('pages newest first by id, numerically (ids are returned as text: 10000 comes after 9999)', async () => {
    const targetId = uniqueId('audit');
    // Ids that cross a power of ten: sorted as text, 10000 and 10001 would come before 9999.
    const { rows } = await pool.query<{ next: string }>(`SELECT nextval('audit_log_id_seq')::text AS next`);
    const power = 10 ** String(BigInt(rows[0].next) + 10n).length;
    await pool.query(`SELECT setval('audit_log_id_seq', $1::bigint)`, [String(power - 2)]);
    for (let n = 1; n <= 4; n++) await append(targetId, n);
    const page = await repo.page({ action: null, targetId, beforeId: null, limit: 10 });
    expect(page.map((e) => (e.details as { n: number }).n)).toEqual([4, 3, 2, 1]);
    expect(page.map((e) => e.id)).toEqual([power + 2, power + 1, power, power - 1].map(String));
    // The cursor goes on from the last id of a page, in the same order.
    const second = await repo.page({ action: null, targetId, beforeId: page[1].id, limit: 10 });
    expect(second.map((e) => (e.details as { n: number }).n)).toEqual([2, 1]);
  });
});
