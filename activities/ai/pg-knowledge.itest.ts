import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { createAiActivities } from './ai.activities';
import { createPgKnowledgeBase } from './pg-knowledge';

describe('knowledge base on PostgreSQL', () => {
  let pool: Pool;
  const ctx = { runId: 'r', flowId: 'f', nodeId: 'reply', idempotencyKey: 'r:reply:1' };

  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  const insert = (collection: string, title: string, body: string, locale: string | null = 'es') =>
    pool.query<{ id: string }>(`INSERT INTO knowledge_articles (collection, title, body, tags, locale) VALUES ($1, $2, $3, '{faq}', $4) RETURNING id::text`, [
      collection,
      title,
      body,
      locale,
    ]);

  it('finds articles inserted after it started, and sees edits and deletions', async () => {
    const collection = uniqueId('kb');
    const kb = createPgKnowledgeBase(pool, { refreshIntervalMs: 0 });
    expect(await kb.search('reembolso', collection)).toEqual([]);

    const refunds = await insert(
      collection,
      'Devoluciones y reembolsos',
      'Aceptamos devoluciones durante 30 días.\n\nEl reembolso llega a tu tarjeta en 5 a 7 días hábiles.',
    );
    await insert(collection, 'Plazos de envío', 'Los envíos tardan de 24 a 48 horas. A Canarias, de 3 a 5 días.');
    await insert(collection, 'Reset your password', 'Click "Forgot password" on the login page.', 'en');

    const hits = await kb.search('¿Cuándo me llega el reembolso a la tarjeta?', collection);
    expect(hits[0].article).toMatchObject({ id: refunds.rows[0].id, collection, title: 'Devoluciones y reembolsos', tags: ['faq'], locale: 'es' });
    expect(hits[0].passage).toContain('5 a 7 días');
    expect(hits[0].confidence).toBeGreaterThan(0.3);
    expect(await kb.list(collection)).toHaveLength(3);

    const ai = createAiActivities({ knowledge: kb });
    const reply = await ai.aiReply({ ctx, question: '¿Cuánto tarda un envío a Canarias?', conversation: [], collection });
    expect(reply.answer).toContain('Canarias');
    expect(reply.sources[0].title).toBe('Plazos de envío');

    await pool.query(`UPDATE knowledge_articles SET body = 'El reembolso tarda 10 días.' WHERE id = $1`, [refunds.rows[0].id]);
    expect((await kb.search('reembolso', collection))[0].passage).toBe('El reembolso tarda 10 días.');
    await pool.query(`DELETE FROM knowledge_articles WHERE id = $1`, [refunds.rows[0].id]);
    expect((await kb.search('reembolso', collection)).map((h) => h.article.title)).not.toContain('Devoluciones y reembolsos');
  });

  it('checks the table at most once per refresh interval', async () => {
    const collection = uniqueId('kb');
    await insert(collection, 'Horario', 'Abrimos de 9 a 18 de lunes a viernes.');
    const kb = createPgKnowledgeBase(pool, { refreshIntervalMs: 60_000 });
    expect(await kb.search('horario', collection)).toHaveLength(1);
    await insert(collection, 'Horario de verano', 'En agosto abrimos de 8 a 15.');
    // Within the interval the cached index answers (no query on the hot path).
    expect(await kb.search('horario', collection)).toHaveLength(1);
    const fresh = createPgKnowledgeBase(pool, { refreshIntervalMs: 60_000 });
    expect(await fresh.search('horario', collection)).toHaveLength(2);
  });
});
