// The write → stale reads table covers every write the client can send.
import { ApiClient, type ApiWrite } from './client';
import { isKnownWrite, staleAfter } from './query-keys';

/** Calls every method of the client with placeholder arguments and records the writes it sends. */
async function everyWrite(): Promise<{ method: string; write: ApiWrite }[]> {
  const found: { method: string; write: ApiWrite }[] = [];
  let current = '';
  const client = new ApiClient({
    getKey: () => 'k',
    fetch: (async () => ({ ok: true, status: 200, text: async () => '{}' })) as unknown as typeof fetch,
  });
  client.onWrite((write) => found.push({ method: current, write }));
  const methods = Object.getOwnPropertyNames(ApiClient.prototype).filter((name) => !['constructor', 'request', 'onWrite'].includes(name));
  for (const name of methods) {
    current = name;
    const call = (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name];
    // The answers are empty objects: a method that reads into them may throw after sending.
    await call.call(client, 'id-1', 'es', 'draft').catch(() => undefined);
  }
  return found;
}

describe('the write table', () => {
  it('has a row for every write the client sends (a write without one would refresh nothing)', async () => {
    const writes = await everyWrite();
    // The client's writes today: a new one shows up here by itself.
    expect(writes.map((w) => w.method)).toEqual(
      expect.arrayContaining([
        'createFlow',
        'saveFlow',
        'duplicateFlow',
        'archiveFlow',
        'validateFlow',
        'publishFlow',
        'startTestRun',
        'startRun',
        'sendMessage',
        'sendBusinessEvent',
        'cancelRun',
        'refreshKpis',
        'createApiKey',
        'revokeApiKey',
      ]),
    );
    expect(writes.filter((w) => !isKnownWrite(w.write)).map((w) => `${w.method}: ${w.write.method} ${w.write.path}`)).toEqual([]);
  });

  it('sends business events to the run by their own route, and they refresh the run', async () => {
    const writes = await everyWrite();
    const sent = writes.find((w) => w.method === 'sendBusinessEvent')!.write;
    expect(sent).toEqual({ method: 'POST', path: '/runs/id-1/business-events' });
    expect(staleAfter(sent)).toEqual([
      ['runs', 'list'],
      ['runs', 'detail', 'id-1'],
    ]);
  });

  it('refreshes what a write changed and nothing else', () => {
    expect(staleAfter({ method: 'POST', path: '/flows' })).toEqual([['flows', 'list']]);
    expect(staleAfter({ method: 'POST', path: '/flows/f1/duplicate' })).toEqual([['flows', 'list']]);
    expect(staleAfter({ method: 'POST', path: '/flows/f1/archive' })).toEqual([
      ['flows', 'list'],
      ['flows', 'detail', 'f1'],
    ]);
    expect(staleAfter({ method: 'POST', path: '/flows/f1/test-runs' })).toEqual([['runs', 'list']]);
    expect(staleAfter({ method: 'POST', path: '/api-keys' })).toEqual([['api-keys']]);
    // Known writes that change no cached read.
    expect(isKnownWrite({ method: 'POST', path: '/kpis/refresh' })).toBe(true);
    expect(staleAfter({ method: 'POST', path: '/kpis/refresh' })).toEqual([]);
    // An unknown write is not a known one, whatever it looks like.
    expect(isKnownWrite({ method: 'PATCH', path: '/flows/f1' })).toBe(false);
  });
});
