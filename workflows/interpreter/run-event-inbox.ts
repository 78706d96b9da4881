import type { BusinessEvent } from '../../contracts/run';

/** Events seen by id, kept for de-duplication; bounded so history and carried state stay small. */
const MAX_SEEN_EVENT_IDS = 500;
/** Business events kept for a later waitForEvent. */
const MAX_BUFFERED_EVENTS = 100;
/**
 * ...and their data, in JSON characters: the buffer travels in continue-as-new's input, which must
 * stay well inside Temporal's 2 MB payload limit beside the carried transcript. The oldest go first.
 */
const MAX_BUFFERED_EVENT_CHARS = 512 * 1024;

const eventChars = (event: BusinessEvent): number => (event.data === undefined ? 0 : JSON.stringify(event.data).length);

/**
 * Business and agent events (the `event` signal) a run received and no wait has taken yet:
 * de-duplicated by id, bounded in count and size, taken by the first wait that matches them.
 */
export class EventInbox {
  /** Events not yet consumed, oldest first. */
  readonly events: (BusinessEvent & { receivedAt: number })[] = [];
  private readonly seenEventIds: string[] = [];
  private readonly seenEventSet = new Set<string>();
  private bufferedEventChars = 0;

  /** Keeps the event unless its id was seen before; false for a duplicate. */
  accept(event: BusinessEvent, now: number): boolean {
    if (event.id) {
      if (this.seenEventSet.has(event.id)) return false;
      this.seenEventSet.add(event.id);
      this.seenEventIds.push(event.id);
      if (this.seenEventIds.length > MAX_SEEN_EVENT_IDS) this.seenEventSet.delete(this.seenEventIds.shift()!);
    }
    this.keep(event, now);
    return true;
  }

  take(match: (e: BusinessEvent) => boolean): BusinessEvent | undefined {
    const index = this.events.findIndex(match);
    if (index < 0) return undefined;
    const [taken] = this.events.splice(index, 1);
    this.bufferedEventChars -= eventChars(taken);
    return taken;
  }

  /** Keeps an event for a later waitForEvent, dropping the oldest beyond the count and size bounds. */
  private keep(event: BusinessEvent, now: number): void {
    this.events.push({ ...event, receivedAt: now });
    this.bufferedEventChars += eventChars(event);
    while (this.events.length > 1 && (this.events.length > MAX_BUFFERED_EVENTS || this.bufferedEventChars > MAX_BUFFERED_EVENT_CHARS)) {
      this.bufferedEventChars -= eventChars(this.events.shift()!);
    }
  }

  /** What continue-as-new carries: the ids seen (the array itself) and the events not consumed. */
  carried(): { seenEventIds: string[]; pendingBusinessEvents: BusinessEvent[] } {
    return { seenEventIds: this.seenEventIds, pendingBusinessEvents: this.events.map(({ receivedAt: _, ...e }) => e) };
  }

  restoreSeen(ids: string[]): void {
    for (const id of ids) {
      this.seenEventIds.push(id);
      this.seenEventSet.add(id);
    }
  }

  restorePending(events: BusinessEvent[], now: number): void {
    for (const e of events) this.keep(e, now);
  }
}
