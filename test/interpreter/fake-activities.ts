import { ApplicationFailure } from '@temporalio/common';
import type { ClassifyOutput, CustomerRecord, FlowActivities, NotifyInput } from '../../contracts/activities';

/**
 * A test double for the node activities (tests only): deterministic, inspectable, and able to fail
 * on demand. Run events go to the real PostgreSQL through the real activities instead.
 */
export function createFakeActivities() {
  const calls: { name: string; input: unknown }[] = [];
  const notifications: NotifyInput[] = [];
  const customers = new Map<string, CustomerRecord>();
  const flows = new Map<string, { version: number; definition: unknown }>();
  const failures = new Map<string, { remaining: number; error: Error }>();
  /** Outputs queued by `answerNext(name, output)`: the next call returns it instead of computing one. */
  const answers = new Map<string, unknown[]>();
  const knowledge: { id: string; title: string; keywords: string[]; answer: string }[] = [];
  /** Activities held by `hold(name)`: each call waits until the returned release function is called. */
  const holds = new Map<string, Promise<void>>();

  const record = (name: string, input: unknown) => {
    calls.push({ name, input });
    const failure = failures.get(name);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      throw failure.error;
    }
  };
  const words = (text: string) =>
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .split(/[^a-z0-9]+/)
      .filter(Boolean);

  const activities: Omit<FlowActivities, 'recordRunEvents' | 'updateRunIndex'> & Record<string, (input: never) => Promise<unknown>> = {
    async aiClassify(input) {
      record('aiClassify', input);
      const queued = answers.get('aiClassify')?.shift();
      if (queued) return queued as ClassifyOutput;
      const text = new Set(words(input.text));
      const scores: Record<string, number> = {};
      for (const intent of input.intents) {
        const vocabulary = new Set(intent.examples.flatMap(words));
        const hits = [...text].filter((w) => vocabulary.has(w)).length;
        scores[intent.id] = text.size ? hits / text.size : 0;
      }
      const [best, confidence] = Object.entries(scores).sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
      return { intent: confidence >= (input.threshold ?? 0.3) ? best : null, confidence, scores, engine: 'offline' as const };
    },
    async aiSentiment(input) {
      record('aiSentiment', input);
      const w = words(input.text);
      const negative = w.some((x) => ['terrible', 'fatal', 'horrible', 'angry', 'enfadado', 'harto', 'awful'].includes(x));
      const positive = w.some((x) => ['gracias', 'genial', 'great', 'thanks', 'perfecto'].includes(x));
      const label = negative ? 'negative' : positive ? 'positive' : 'neutral';
      return { label, score: negative ? -0.8 : positive ? 0.8 : 0, language: 'es' as const, engine: 'offline' as const };
    },
    async aiReply(input) {
      record('aiReply', input);
      const q = new Set(words(input.question));
      const best = knowledge.map((a) => ({ a, score: a.keywords.filter((k) => q.has(k)).length / a.keywords.length })).sort((x, y) => y.score - x.score)[0];
      const confidence = best?.score ?? 0;
      const answered = best && confidence >= (input.minConfidence ?? 0.3);
      return {
        answer: answered ? best.a.answer : null,
        confidence,
        sources: best ? [{ id: best.a.id, title: best.a.title, score: confidence }] : [],
        engine: 'offline' as const,
      };
    },
    async aiSummarize(input) {
      record('aiSummarize', input);
      const first = input.conversation.find((t) => t.from === 'customer');
      // As the LLM engine answers: with the tokens it spent, which the run must record (ai.summary).
      return {
        summary: `Customer said: ${first?.text ?? '(nothing)'}`,
        engine: 'llm' as const,
        usage: { model: 'fake-llm', promptTokens: 120, completionTokens: 30, costUsd: 0.0004 },
      };
    },
    async crmLookup(input) {
      record('crmLookup', input);
      const customer = [...customers.values()].find((c) => (input.by === 'id' ? c.id : input.by === 'email' ? c.email : c.phone) === input.value);
      return { found: !!customer, customer: customer ?? null };
    },
    async crmUpdate(input) {
      record('crmUpdate', input);
      const c = customers.get(input.customerId) ?? { id: input.customerId, attributes: {}, tags: [] };
      c.attributes = { ...c.attributes, ...(input.fields ?? {}) };
      c.tags = [...new Set([...c.tags, ...(input.addTags ?? [])])].filter((t) => !(input.removeTags ?? []).includes(t));
      customers.set(c.id, c);
      return { customer: c };
    },
    async crmTicket(input) {
      record('crmTicket', input);
      return { ticketId: `T-${input.ctx.idempotencyKey}`, created: true };
    },
    async notify(input) {
      record('notify', input);
      await holds.get('notify');
      notifications.push(input);
      return { outboxId: `o-${notifications.length}`, status: 'pending' as const, reason: 'no provider configured' };
    },
    async httpRequest(input) {
      record('httpRequest', input);
      if (input.url.includes('/fail')) return { ok: false, status: 503, headers: {}, body: null, error: 'unavailable' };
      return { ok: true, status: 200, headers: {}, body: { echoed: input.body ?? null, url: input.url } };
    },
    async scoreChurn(input) {
      record('scoreChurn', input);
      const score = Number(input.features.risk ?? 0);
      return { score, contributions: { risk: score }, model: 'fake' };
    },
    async loadFlowVersion(input) {
      record('loadFlowVersion', input);
      const flow = flows.get(input.flowId);
      // Like the real loader would: a flow that is not published is input no retry can fix
      // (activities/errors.ts), so the node takes its `failed` branch at once instead of after ~8 s of retries.
      if (!flow) throw ApplicationFailure.nonRetryable(`flow ${input.flowId} is not published`, 'FlowNotFound');
      return { flowId: input.flowId, version: flow.version, definition: flow.definition as never };
    },
    async 'custom.loyaltyPoints'(input: { input: { customerId?: string } }) {
      record('custom.loyaltyPoints', input);
      return { points: (input.input.customerId ?? '').length * 100 };
    },
  };

  return {
    activities,
    calls,
    notifications,
    customers,
    flows,
    knowledge,
    failNext(name: string, times: number, error: Error) {
      failures.set(name, { remaining: times, error });
    },
    /** The next call of `name` (aiClassify) returns `output` as is, e.g. an answer the offline engine gave after the LLM failed. */
    answerNext(name: 'aiClassify', output: ClassifyOutput) {
      answers.set(name, [...(answers.get(name) ?? []), output]);
    },
    /** Makes every call of activity `name` wait until the returned function is called. */
    hold(name: string): () => void {
      let release!: () => void;
      holds.set(name, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        holds.delete(name);
        release();
      };
    },
    /** Awaited by wrapped activities (see the harness): resolves at once unless `hold(name)` is in force. */
    async gate(name: string): Promise<void> {
      await holds.get(name);
    },
    callsOf: (name: string) => calls.filter((c) => c.name === name),
  };
}

export type FakeActivities = ReturnType<typeof createFakeActivities>;
