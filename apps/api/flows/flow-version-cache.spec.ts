import type { FlowDefinition } from '../../../workflows/language';
import { FlowVersionCache, MAX_CACHED_VERSIONS } from './flow-version-cache';

const def = (n: number) => ({ nodes: [{ id: `n${n}` }], edges: [] }) as unknown as FlowDefinition;
const published = { status: 'published' as const, latestVersion: 1 };

describe('FlowVersionCache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a head until its TTL ends, then asks again', () => {
    jest.useFakeTimers();
    const cache = new FlowVersionCache();
    cache.rememberHead('f', published, cache.readEpoch());
    expect(cache.head('f')).toEqual(published);
    jest.advanceTimersByTime(cache.headTtlMs + 1);
    expect(cache.head('f')).toBeUndefined();
  });

  it('forgets a head at once, and does not store one read before the forget', () => {
    const cache = new FlowVersionCache();
    cache.rememberHead('f', published, cache.readEpoch());
    const readBeforePublish = cache.readEpoch();
    cache.forget('f');
    expect(cache.head('f')).toBeUndefined();
    // A start read the old head while the publish committed: it must not come back for a TTL.
    cache.rememberHead('f', published, readBeforePublish);
    expect(cache.head('f')).toBeUndefined();
    cache.rememberHead('f', { status: 'published', latestVersion: 2 }, cache.readEpoch());
    expect(cache.head('f')?.latestVersion).toBe(2);
  });

  it('keeps at most MAX_CACHED_VERSIONS versions, dropping the least recently used', () => {
    const cache = new FlowVersionCache();
    for (let v = 1; v <= MAX_CACHED_VERSIONS; v++) cache.rememberVersion('f', v, def(v));
    expect(cache.version('f', 1)).toEqual(def(1)); // used: now the most recent
    cache.rememberVersion('f', MAX_CACHED_VERSIONS + 1, def(0));
    expect(cache.size.versions).toBe(MAX_CACHED_VERSIONS);
    expect(cache.version('f', 1)).toEqual(def(1));
    expect(cache.version('f', 2)).toBeUndefined();
    expect(cache.version('f', MAX_CACHED_VERSIONS + 1)).toEqual(def(0));
  });
});
