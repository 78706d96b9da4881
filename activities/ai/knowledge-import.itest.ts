import { Pool } from 'pg';
import { testInfra, uniqueId } from '../../test/infra';
import { importMarkdown } from './knowledge-import';
import { createPgKnowledgeBase } from './pg-knowledge';

describe('importMarkdown into knowledge_articles', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ connectionString: testInfra().databaseUrl, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
  });
  const rows = async (collection: string) =>
    (await pool.query(`SELECT id::text, title, body, tags, locale, updated_at FROM knowledge_articles WHERE collection = $1 ORDER BY title`, [collection]))
      .rows;

  const faq = {
    name: 'faq.md',
    content: '# Ayuda\n\n## Envíos\nEnviamos en 24-48 h.\n\n### Canarias\nDe 3 a 5 días.\n\n## Devoluciones\nTienes 30 días para devolver un pedido.\n',
  };
  const pagos = { name: 'pagos.md', content: 'Aceptamos tarjeta.\n\n# Bizum\nTambién Bizum.\n' };

  it('creates one article per section, then updates changed ones, keeps unchanged ones and adds new ones', async () => {
    const collection = uniqueId('kb-import');
    const first = await importMarkdown(pool, [faq, pagos], collection, { locale: 'es', tags: ['faq'] });
    expect(first).toMatchObject({ collection, created: 4, updated: 0, unchanged: 0 });
    expect(first.articles.map((a) => [a.title, a.action])).toEqual([
      ['Envíos', 'created'],
      ['Devoluciones', 'created'],
      ['pagos', 'created'],
      ['Bizum', 'created'],
    ]);
    const stored = await rows(collection);
    expect(stored.map((r) => [r.title, r.body, r.tags, r.locale])).toEqual([
      ['Bizum', 'También Bizum.', ['faq'], 'es'],
      ['Devoluciones', 'Tienes 30 días para devolver un pedido.', ['faq'], 'es'],
      ['Envíos', 'Enviamos en 24-48 h.\n\n### Canarias\nDe 3 a 5 días.', ['faq'], 'es'],
      ['pagos', 'Aceptamos tarjeta.', ['faq'], 'es'],
    ]);

    const edited = { name: 'faq.md', content: faq.content.replace('30 días', '60 días') + '\n## Horario\nDe 9 a 18 h.\n' };
    const second = await importMarkdown(pool, [edited, pagos], collection, { locale: 'es', tags: ['faq'] });
    expect(second).toMatchObject({ created: 1, updated: 1, unchanged: 3 });
    const after = await rows(collection);
    expect(after).toHaveLength(5);
    const byTitle = (list: typeof after, t: string) => list.find((r) => r.title === t)!;
    expect(byTitle(after, 'Devoluciones')).toMatchObject({ id: byTitle(stored, 'Devoluciones').id, body: 'Tienes 60 días para devolver un pedido.' });
    // Unchanged articles are not rewritten (their updated_at stays, so the search index is not rebuilt for them).
    expect(byTitle(after, 'Envíos').updated_at).toEqual(byTitle(stored, 'Envíos').updated_at);
    expect(second.articles.find((a) => a.title === 'Envíos')).toEqual({ id: byTitle(stored, 'Envíos').id, title: 'Envíos', action: 'unchanged' });

    // Without tags/locale options, existing ones are kept; other collections are untouched.
    await importMarkdown(pool, [pagos], collection);
    expect(byTitle(await rows(collection), 'Bizum')).toMatchObject({ tags: ['faq'], locale: 'es' });
    await importMarkdown(pool, [pagos], `${collection}-other`);
    expect(await rows(collection)).toHaveLength(5);
  });

  it('joins repeated titles, is searchable right away, and serialises concurrent imports of one collection', async () => {
    const collection = uniqueId('kb-import');
    const a = { name: 'a.md', content: '## Garantía\nDos años en electrónica.\n' };
    const b = { name: 'b.md', content: '## Garantía\nTres años en muebles.\n' };
    const results = await Promise.all([
      importMarkdown(pool, [a, b], collection),
      importMarkdown(pool, [a, b], collection),
      importMarkdown(pool, [a, b], collection),
    ]);
    expect(results.map((r) => r.created).sort()).toEqual([0, 0, 1]);
    const stored = await rows(collection);
    expect(stored).toHaveLength(1);
    expect(stored[0].body).toBe('Dos años en electrónica.\n\nTres años en muebles.');

    const kb = createPgKnowledgeBase(pool, { refreshIntervalMs: 0 });
    const hits = await kb.search('¿Cuántos años de garantía tienen los muebles?', collection);
    expect(hits[0].article.title).toBe('Garantía');
    expect(hits[0].passage).toContain('Tres años en muebles');
  });

  it('rejects a missing collection or a file without content, and rolls back', async () => {
    await expect(importMarkdown(pool, [faq], '')).rejects.toThrow(/collection/);
    await expect(importMarkdown(pool, [{ name: 'x.md' } as never], 'c')).rejects.toThrow(/no text content/);
  });
});
