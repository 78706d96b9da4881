import { Session } from 'node:inspector';

/**
 * Where this process's main thread spends its CPU, by package, per side of a benchmark: V8's
 * sampling profiler through the inspector (no flag needed), started and stopped around each recorded
 * phase. Self time only, grouped by the file's package (`express`, `@nestjs/core`), Cauce's folder
 * (`cauce:apps/api`) or Node's module (`node:_http_server`); native entries keep their name
 * (`writev`, `(garbage collector)`). Workflow threads are not seen (their own isolates).
 */
export class MainThreadProfile {
  private readonly bySide = new Map<string, { ms: Map<string, number>; conversations: number }>();

  private constructor(private readonly session: Session) {}

  static async open(): Promise<MainThreadProfile> {
    const session = new Session();
    session.connect();
    const profile = new MainThreadProfile(session);
    await profile.post('Profiler.enable');
    await profile.post('Profiler.setSamplingInterval', { interval: 250 });
    return profile;
  }

  start(): Promise<unknown> {
    return this.post('Profiler.start');
  }

  /** Stops sampling and adds what it saw to `side`, for `conversations` conversations. */
  async stop(side: string, conversations: number): Promise<void> {
    const { profile } = (await this.post('Profiler.stop')) as { profile: CpuProfile };
    const entry = this.bySide.get(side) ?? { ms: new Map<string, number>(), conversations: 0 };
    entry.conversations += conversations;
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const node of profile.nodes) {
      const us = selfUs.get(node.id);
      if (!us) continue;
      const key = packageOf(node.callFrame);
      if (key === '(idle)') continue;
      entry.ms.set(key, (entry.ms.get(key) ?? 0) + us / 1000);
    }
    this.bySide.set(side, entry);
  }

  /** Lines: the total, then the `top` packages where `side` spends most beyond `base`, ms per conversation. */
  compare(side: string, base: string, top: number): string[] {
    const a = this.bySide.get(side);
    const b = this.bySide.get(base);
    if (!a || !b) return [];
    const per = (e: typeof a, k: string) => (e.ms.get(k) ?? 0) / Math.max(1, e.conversations);
    const total = (e: typeof a) => [...e.ms.values()].reduce((x, y) => x + y, 0) / Math.max(1, e.conversations);
    const keys = [...new Set([...a.ms.keys(), ...b.ms.keys()])].sort((x, y) => per(a, y) - per(b, y) - (per(a, x) - per(b, x)));
    const line = (name: string, x: number, y: number) =>
      `${name.padEnd(36)} ${x.toFixed(2).padStart(7)} ${y.toFixed(2).padStart(7)} ${((x >= y ? '+' : '') + (x - y).toFixed(2)).padStart(7)}`;
    return [
      `${'package'.padEnd(36)} ${side.padStart(7)} ${base.padStart(7)}   diff`,
      line('all of the main thread', total(a), total(b)),
      ...keys.slice(0, top).map((k) => line(k, per(a, k), per(b, k))),
    ];
  }

  close(): void {
    this.session.disconnect();
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf({ functionName, url }: { functionName: string; url: string }): string {
  const pkg = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = url.match(/\/dist\/([^/]+\/[^/]+)/);
  if (own) return `cauce:${own[1].replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url ? url.split('/').slice(-2).join('/') : functionName || '(anonymous)';
}
