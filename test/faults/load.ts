import { randomUUID } from 'node:crypto';

/**
 * A steady load of conversations from retrying clients, as a well-behaved integration would send
 * them: a start that fails with 503/504/429, a cut or refused connection or a timeout is sent again
 * with the same `key`, a message with the same `id` (the Temporal Update id the API dedupes on), until
 * it is answered or the request's own deadline passes.
 */

/** Retried answers: the dependency or the instance is down or slow, or the client is asked to wait. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export interface Conversation {
  index: number;
  key: string;
  runId?: string;
  /** Messages the API answered 200 to: each must be in the run's transcript, once. */
  accepted: { id: string; text: string }[];
  done: boolean;
  error?: string;
}

export interface LoadStats {
  requests: number;
  retries: number;
  /** Requests that failed on a connection that was open (reset, hang-up), as opposed to refused. */
  cut: number;
  byStatus: Record<string, number>;
}

export interface LoadOptions {
  base: string;
  key: () => string;
  flowId: string;
  /** How many messages a conversation sends; the flow ends after the last. */
  turns: number;
  concurrency: number;
  maxConversations: number;
  /** A pause between one client's conversations, so the load stays steady rather than maximal. */
  thinkMs?: number;
  /** Give up one request after this long (the suite reports it as a failure). */
  requestDeadlineMs?: number;
}

export class ConversationLoad {
  readonly conversations: Conversation[] = [];
  readonly stats: LoadStats = { requests: 0, retries: 0, cut: 0, byStatus: {} };
  private stopping = false;
  private running?: Promise<void>;

  constructor(private readonly o: LoadOptions) {}

  start(): void {
    this.running = Promise.all(Array.from({ length: this.o.concurrency }, () => this.client())).then(() => undefined);
  }

  /** Lets every client finish the conversation it is in, then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  get completed(): number {
    return this.conversations.filter((c) => c.done).length;
  }

  private async client(): Promise<void> {
    while (!this.stopping && this.conversations.length < this.o.maxConversations) {
      const conversation: Conversation = { index: this.conversations.length, key: `faults-${randomUUID()}`, accepted: [], done: false };
      this.conversations.push(conversation);
      try {
        await this.converse(conversation);
        conversation.done = true;
      } catch (err) {
        conversation.error = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, this.o.thinkMs ?? 0));
    }
  }

  private async converse(c: Conversation): Promise<void> {
    const started = await this.send<{ runId: string }>('POST', `/api/flows/${this.o.flowId}/runs`, { key: c.key });
    if (started.status !== 201 && started.status !== 200) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
    c.runId = started.body?.runId;
    for (let turn = 1; turn <= this.o.turns; turn++) {
      const id = `m-${c.index}-${turn}-${randomUUID()}`;
      const text = `mensaje ${c.index}.${turn} ${id}`;
      const res = await this.send('POST', `/api/runs/${c.runId}/messages`, { text, id });
      if (res.status !== 200) throw new Error(`message ${turn} answered ${res.status}: ${JSON.stringify(res.body)}`);
      c.accepted.push({ id, text });
    }
  }

  /** One logical request, retried on transient failures with the same body (same key / same id). */
  async send<T = unknown>(method: string, route: string, body: unknown): Promise<{ status: number; body: T | undefined }> {
    const deadline = Date.now() + (this.o.requestDeadlineMs ?? 120_000);
    let delay = 100;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) this.stats.retries++;
      this.stats.requests++;
      let outcome: string;
      let retryAfterMs: number | undefined;
      try {
        const res = await fetch(`${this.o.base}${route}`, {
          method,
          headers: { authorization: `Bearer ${this.o.key()}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(40_000),
        });
        const text = await res.text();
        this.stats.byStatus[res.status] = (this.stats.byStatus[res.status] ?? 0) + 1;
        if (!RETRYABLE_STATUS.has(res.status)) return { status: res.status, body: text ? (JSON.parse(text) as T) : undefined };
        outcome = `${res.status} ${text.slice(0, 200)}`;
        const retryAfter = Number(res.headers.get('retry-after'));
        if (retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, 5_000);
      } catch (err) {
        const code = errorCode(err);
        this.stats.byStatus[code] = (this.stats.byStatus[code] ?? 0) + 1;
        if (code !== 'ECONNREFUSED') this.stats.cut++;
        outcome = code;
      }
      if (Date.now() > deadline) throw new Error(`${method} ${route} gave up after ${attempt + 1} attempts: ${outcome}`);
      await new Promise((r) => setTimeout(r, retryAfterMs ?? delay));
      delay = Math.min(delay * 2, 1_000);
    }
  }
}

function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string; name?: string } })?.cause;
  return cause?.code ?? cause?.name ?? (err as Error)?.name ?? 'error';
}
