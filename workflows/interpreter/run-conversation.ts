import type { InboundMessage, Reply, TranscriptEntry } from '../../contracts/run';
import type { Run } from './run';

/**
 * The conversation of a run: the transcript, the messages no wait has taken yet, and what each side
 * has been shown. A customer's turn returns what the bot, agents and the system said since the
 * customer's last turn; an agent's turn returns what the customer said since the agent's.
 */
export class Conversation {
  transcript: TranscriptEntry[] = [];
  /** Customer messages not yet consumed by an ask/csat, and agent messages for the relay. */
  readonly inbox: InboundMessage[] = [];
  readonly agentInbox: InboundMessage[] = [];
  private deliveredCursor = 0;
  private agentCursor = 0;

  constructor(private readonly run: Run) {}

  /** Says `text` in the transcript (deliver() in nodes/deliver.ts also sends it off chat). */
  say(nodeId: string, text: string, options: { from?: 'bot' | 'agent' | 'system'; buttons?: { label: string; value: string }[] } = {}): void {
    const entry: TranscriptEntry = { from: options.from ?? 'bot', text, at: this.run.nowIso(), nodeId };
    if (options.buttons?.length) entry.buttons = options.buttons;
    this.transcript.push(entry);
    this.run.emit('message.out', nodeId, { text, from: entry.from, ...(entry.buttons ? { buttons: entry.buttons.length } : {}) });
  }

  /** A customer's or agent's message (the `message` Update): into the transcript and the inbox a wait reads. */
  receive(message: InboundMessage): void {
    const run = this.run;
    const from = message.from ?? 'customer';
    const at = run.nowIso();
    this.transcript.push({ from, text: message.text, at });
    if (from === 'agent') {
      this.agentInbox.push(message);
    } else {
      run.last = { text: message.text, at, ...(message.channel ? { channel: message.channel } : {}) };
      this.inbox.push(message);
    }
    run.emit('message.in', run.currentNode ?? undefined, {
      from,
      length: message.text.length,
      waitingFor: run.waitingFor,
      ...(typeof message.receivedAt === 'number' ? { receivedAt: message.receivedAt } : {}),
    });
  }

  /** Replies not yet returned to this side of the conversation; `peek` leaves them undelivered. */
  takeReplies(audience: 'customer' | 'agent' = 'customer', peek = false): Reply[] {
    const start = audience === 'customer' ? this.deliveredCursor : this.agentCursor;
    const shown = (e: TranscriptEntry) => (audience === 'customer' ? e.from !== 'customer' : e.from === 'customer' || e.from === 'system');
    const replies = this.transcript
      .slice(start)
      .filter(shown)
      .map((e) => ({
        from: e.from as 'bot' | 'agent' | 'system',
        text: e.text,
        at: e.at,
        ...(e.nodeId ? { nodeId: e.nodeId } : {}),
        ...(e.buttons ? { buttons: e.buttons } : {}),
      }));
    if (peek) return replies;
    if (audience === 'customer') this.deliveredCursor = this.transcript.length;
    else this.agentCursor = this.transcript.length;
    return replies;
  }

  /** After continue-as-new: the carried transcript counts as shown to both sides. */
  restore(transcript: TranscriptEntry[]): void {
    this.transcript = transcript;
    this.deliveredCursor = transcript.length;
    this.agentCursor = transcript.length;
  }
}
