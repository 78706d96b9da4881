import type { TranscriptEntry } from '../../../workflows/interpreter/types';
import type { ReplyDto } from './dto';

/** Temporal's execution status (by name or proto number) as a Cauce run status. */
export function statusFromTemporal(name: string | number | null | undefined, cauceStatus?: string): string {
  switch (name) {
    case 'RUNNING':
    case 1:
      return 'running';
    case 'COMPLETED':
    case 2:
      return cauceStatus && cauceStatus !== 'running' ? cauceStatus : 'completed';
    case 'FAILED':
    case 3:
      return 'failed';
    case 'CANCELLED':
    case 4:
      return 'cancelled';
    case 'TERMINATED':
    case 5:
      return 'terminated';
    case 'TIMED_OUT':
    case 7:
      return 'timed_out';
    default:
      return cauceStatus ?? 'running';
  }
}

export const FINISHED_STATUSES = new Set(['completed', 'failed', 'cancelled', 'terminated', 'timed_out']);

/** What the bot, agents and the system said, as replies. */
export function repliesOf(transcript: TranscriptEntry[]): ReplyDto[] {
  return transcript
    .filter((e) => e.from !== 'customer')
    .map((e) => ({
      from: e.from as ReplyDto['from'],
      text: e.text,
      at: e.at,
      ...(e.nodeId ? { nodeId: e.nodeId } : {}),
      ...(e.buttons ? { buttons: e.buttons } : {}),
    }));
}

/** Parses the interpreter's refusal of a message to a finished run. */
export function finishedRunRefusal(message: string): { status: string; outcome?: string } | null {
  const m = /^The run is (\w+)(?: \(([^)]*)\))? and takes no more messages/.exec(message);
  return m ? { status: m[1], ...(m[2] ? { outcome: m[2] } : {}) } : null;
}
