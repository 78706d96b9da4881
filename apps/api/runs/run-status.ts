import type { TranscriptEntry } from '../../../contracts/run';
import type { ReplyDto } from './dto';

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
