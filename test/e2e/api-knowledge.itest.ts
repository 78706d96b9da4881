/* eslint-disable @typescript-eslint/no-explicit-any */
// The knowledge base over HTTP against the real API, PostgreSQL, Temporal and a real worker: CRUD,
// search and paging, Markdown import (JSON and text/markdown), audit entries, who may do what, and
// an ai.reply node answering from an article imported through the API (the offline AI).
import { randomUUID } from 'node:crypto';
import { ApiHarness, flow } from './api-harness';
import { uniqueId } from '../infra';

const SHIPPING_MD = `---
source: help-centre
---
# Envíos

## Plazos de envío a Canarias

Los envíos a Canarias tardan de 3 a 5 días hábiles desde la confirmación del pedido.
No hay recargo de aduana para pedidos de menos de 150 euros.

## Devoluciones y reembolsos

Aceptamos devoluciones durante 30 días. El reembolso llega a tu tarjeta en 5 a 7 días hábiles.
`;

describe('API: knowledge base (real API, worker, Temporal and PostgreSQL)', () => {
  const h = new ApiHarness();
  beforeAll(() => h.setup({ worker: true }), 90_000);
  afterAll(() => h.teardown());

  const auditOf = async (targetId: string) => (await h.get(`/api/audit?targetId=${encodeURIComponent(targetId)}`)).body.items as any[];

  it('creates, reads, lists, searches, replaces and deletes articles, with audit entries', async () => {
    const collection = uniqueId('kb');
    const created = await h.post(
      '/api/knowledge',
      { collection, title: 'Horario de atención', body: 'Abrimos de 9 a 18 de lunes a viernes.', tags: ['faq', 'faq', ' horario '], locale: 'es' },
      'editor',
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      collection,
      title: 'Horario de atención',
      body: 'Abrimos de 9 a 18 de lunes a viernes.',
      tags: ['faq', 'horario'],
      locale: 'es',
    });
    const id = created.body.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await h.get(`/api/knowledge/${id}`, 'editor')).body).toEqual(created.body);

    // A second article with the same title in the collection would make the import ambiguous.
    const dup = await h.post('/api/knowledge', { collection, title: 'Horario de atención', body: 'otro' }, 'editor');
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { field: 'title', existingId: id } });
    expect(dup.body.message).toContain('title');

    const other = await h.post('/api/knowledge', { collection, title: 'Pagos', body: 'Aceptamos tarjeta y Bizum.', locale: 'es' });
    expect(other.status).toBe(201);
    const third = await h.post('/api/knowledge', { collection, title: 'Garantía', body: 'Dos años de garantía en todos los productos.' }, 'editor');
    expect(third.body.locale).toBeNull();
    expect(third.body.tags).toEqual([]);

    // List: newest first, paged by cursor, filtered by collection; q searches title, body and tags.
    const first = await h.get(`/api/knowledge?collection=${collection}&limit=2`, 'editor');
    expect(first.status).toBe(200);
    expect(first.body.items.map((a: any) => a.title)).toEqual(['Garantía', 'Pagos']);
    expect(first.body.items[0]).toMatchObject({ excerpt: 'Dos años de garantía en todos los productos.' });
    expect(first.body.items[0].body).toBeUndefined();
    const second = await h.get(`/api/knowledge?collection=${collection}&limit=2&cursor=${first.body.nextCursor}`, 'editor');
    expect(second.body).toEqual({ items: [expect.objectContaining({ id, title: 'Horario de atención' })], nextCursor: null });
    expect((await h.get(`/api/knowledge?collection=${collection}&q=BIZUM`, 'editor')).body.items.map((a: any) => a.title)).toEqual(['Pagos']);
    expect((await h.get(`/api/knowledge?collection=${collection}&q=horario`, 'editor')).body.items.map((a: any) => a.title)).toEqual(['Horario de atención']);
    expect((await h.get(`/api/knowledge?collection=${collection}&q=100%25`, 'editor')).body.items).toEqual([]);

    // PUT replaces title and body; omitted tags and locale stay; an identical PUT writes nothing.
    const replaced = await h.put(`/api/knowledge/${id}`, { title: 'Horario', body: 'Abrimos de 8 a 20 todos los días.' }, 'editor');
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id,
      collection,
      title: 'Horario',
      body: 'Abrimos de 8 a 20 todos los días.',
      tags: ['faq', 'horario'],
      locale: 'es',
    });
    expect(Date.parse(replaced.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));
    const same = await h.put(`/api/knowledge/${id}`, { title: 'Horario', body: 'Abrimos de 8 a 20 todos los días.' }, 'editor');
    expect(same.body.updatedAt).toBe(replaced.body.updatedAt);
    const clash = await h.put(`/api/knowledge/${id}`, { title: 'Pagos', body: 'x' }, 'editor');
    expect(clash.status).toBe(409);
    const cleared = await h.put(`/api/knowledge/${id}`, { title: 'Horario', body: 'Abrimos de 8 a 20 todos los días.', locale: null, tags: [] }, 'editor');
    expect(cleared.body).toMatchObject({ locale: null, tags: [] });

    const deleted = await h.del(`/api/knowledge/${id}`, 'editor');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await h.get(`/api/knowledge/${id}`, 'editor');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ statusCode: 404, error: 'Not Found', message: `Knowledge article ${id} not found` });
    expect((await h.del(`/api/knowledge/${id}`, 'editor')).status).toBe(404);
    expect((await h.put(`/api/knowledge/${randomUUID()}`, { title: 'a', body: 'b' }, 'editor')).status).toBe(404);

    const audit = await auditOf(id);
    expect(audit.map((e) => e.action)).toEqual(['knowledge.deleted', 'knowledge.updated', 'knowledge.updated', 'knowledge.created']);
    expect(audit[3]).toMatchObject({ actorRole: 'editor', targetType: 'knowledge_article', details: { collection, title: 'Horario de atención' } });
    expect(audit[2].details.changed).toEqual(['title', 'body']);
    expect(audit[1].details.changed).toEqual(['tags', 'locale']);
  });

  it('validates every field and names it', async () => {
    const bad = await h.post('/api/knowledge', { collection: '', title: '  ', body: 42, tags: ['ok', ''], locale: 'spanish', extra: 1 }, 'editor');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('Bad Request');
    for (const m of [
      'property extra should not exist',
      'collection must not be empty',
      'title must not be empty',
      'body must be a string',
      'tags must not contain empty tags',
      'locale must be a language tag',
    ]) {
      expect(bad.body.message).toContain(m);
    }
    expect((await h.post('/api/knowledge', { title: 't' }, 'editor')).body.message).toContain('body must be a string');
    expect((await h.get('/api/knowledge/nope', 'editor')).body).toMatchObject({ statusCode: 400, message: 'id must be a UUID' });
    expect((await h.get('/api/knowledge?limit=0', 'editor')).body.message).toContain('limit must be at least 1');
    expect((await h.get('/api/knowledge?cursor=abc', 'editor')).body).toMatchObject({ statusCode: 400, message: 'cursor is not a cursor this API returned' });
    const noFiles = await h.post('/api/knowledge/import', { collection: 'x', files: [{ name: 'a.md' }] }, 'editor');
    expect(noFiles.status).toBe(400);
    expect(noFiles.body.message).toContain('files.content must be a string');
    expect((await h.post('/api/knowledge/import', { collection: 'x', files: [] }, 'editor')).body.message).toContain('files must contain at least one file');
  });

  it('imports Markdown (JSON and text/markdown) with created/updated/unchanged counts and one audit entry per change', async () => {
    const collection = uniqueId('kb-import');
    const imported = await h.post('/api/knowledge/import', { collection, files: [{ name: 'envios.md', content: SHIPPING_MD }], locale: 'es' }, 'editor');
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ collection, created: 2, updated: 0, unchanged: 0 });
    expect(imported.body.articles.map((a: any) => [a.title, a.action])).toEqual([
      ['Plazos de envío a Canarias', 'created'],
      ['Devoluciones y reembolsos', 'created'],
    ]);
    const article = (await h.get(`/api/knowledge/${imported.body.articles[0].id}`, 'editor')).body;
    expect(article).toMatchObject({ collection, title: 'Plazos de envío a Canarias', locale: 'es' });
    expect(article.body).toContain('de 3 a 5 días hábiles');

    const again = await h.post('/api/knowledge/import', { collection, files: [{ name: 'envios.md', content: SHIPPING_MD }] }, 'editor');
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });

    const edited = SHIPPING_MD.replace('30 días', '60 días');
    const changed = await h.post('/api/knowledge/import', { collection, files: [{ name: 'envios.md', content: edited }] });
    expect(changed.body).toMatchObject({ created: 0, updated: 1, unchanged: 1 });

    // One file as the raw body: text before the first heading is titled by the file name.
    const raw = await h.request('POST', `/api/knowledge/import?collection=${collection}&name=pagos.md&locale=es`, {
      key: 'editor',
      raw: 'Aceptamos tarjeta, Bizum y transferencia.\n\n## Facturas\n\nLa factura llega por email al enviar el pedido.\n',
      headers: { 'content-type': 'text/markdown; charset=utf-8' },
    });
    expect(raw.status).toBe(200);
    expect(raw.body.articles.map((a: any) => [a.title, a.action])).toEqual([
      ['pagos', 'created'],
      ['Facturas', 'created'],
    ]);
    const noCollection = await h.request('POST', '/api/knowledge/import', { key: 'editor', raw: '# A\n\nb', headers: { 'content-type': 'text/markdown' } });
    expect(noCollection.status).toBe(400);
    expect(noCollection.body.message).toContain('collection is required');
    const tooBig = await h.request('POST', `/api/knowledge/import?collection=${collection}`, {
      key: 'editor',
      raw: 'x'.repeat(1024 * 1024 + 10),
      headers: { 'content-type': 'text/markdown' },
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });

    const listed = await h.get(`/api/knowledge?collection=${collection}`, 'editor');
    expect(listed.body.items).toHaveLength(4);

    const audit = await auditOf(collection);
    expect(audit.map((e) => [e.action, e.details.created, e.details.updated])).toEqual([
      ['knowledge.imported', 2, 0],
      ['knowledge.imported', 0, 1],
      ['knowledge.imported', 2, 0],
    ]);
    expect(audit[1].details.articles).toEqual([{ id: imported.body.articles[1].id, title: 'Devoluciones y reembolsos', action: 'updated' }]);
    expect(audit[2]).toMatchObject({ actorRole: 'editor', targetType: 'knowledge_collection', details: { files: ['envios.md'] } });
  });

  it('answers an ai.reply node from a Markdown article imported through the API (real worker, offline AI)', async () => {
    const collection = uniqueId('kb-ai');
    const imported = await h.post('/api/knowledge/import', { collection, files: [{ name: 'envios.md', content: SHIPPING_MD }], locale: 'es' }, 'editor');
    expect(imported.body.created).toBe(2);

    const flowId = await h.publishedFlow(
      'Soporte con base de conocimiento',
      flow(
        [
          ['start', 'start', { trigger: 'api' }],
          ['ask', 'ask', { text: '¿En qué te ayudo?', variable: 'question' }],
          ['answer', 'ai.reply', { collection, minConfidence: 0.2 }],
          ['done', 'end', { outcome: 'resolved' }],
          ['human', 'end', { outcome: 'escalated', message: 'Te paso con una persona.' }],
        ],
        [
          ['start', 'next', 'ask'],
          ['ask', 'reply', 'answer'],
          ['answer', 'answered', 'done'],
          ['answer', 'unsure', 'human'],
        ],
      ),
    );
    const started = await h.post(`/api/flows/${flowId}/runs`, { customerId: 'c-kb' }, 'system');
    expect(started.status).toBe(201);
    expect(started.body.replies.map((r: any) => r.text)).toEqual(['¿En qué te ayudo?']);

    const turn = await h.post(`/api/runs/${started.body.runId}/messages`, { text: '¿Cuántos días tarda un envío a Canarias?' }, 'system');
    expect(turn.status).toBe(200);
    const texts: string[] = turn.body.replies.map((r: any) => r.text);
    expect(texts.join('\n')).toContain('de 3 a 5 días hábiles');
    expect(texts).not.toContain('Te paso con una persona.');

    const run = await h.eventually(async () => {
      const r = await h.get(`/api/runs/${started.body.runId}`, 'system');
      return r.body.status === 'completed' && r.body;
    });
    expect(run.outcome).toBe('resolved');
  });

  it('refuses operator and system keys on every knowledge route, naming the role required', async () => {
    const id = randomUUID();
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/knowledge'],
      ['GET', `/api/knowledge/${id}`],
      ['POST', '/api/knowledge', { title: 't', body: 'b' }],
      ['PUT', `/api/knowledge/${id}`, { title: 't', body: 'b' }],
      ['DELETE', `/api/knowledge/${id}`],
      ['POST', '/api/knowledge/import', { collection: 'c', files: [{ name: 'a.md', content: '# A\n\nb' }] }],
    ];
    for (const [method, path, body] of routes) {
      for (const role of ['operator', 'system'] as const) {
        const res = await h.request(method, path, { key: role, body });
        expect([method, path, role, res.status]).toEqual([method, path, role, 403]);
        expect(res.body.message).toContain('requires one of the roles editor, admin; this key has the role');
      }
      expect((await h.request(method, path, { key: null, body })).status).toBe(401);
    }
  });
});
