/** Values the run routes share: channels, languages, run states, and what a caller-chosen id may contain. */
export const CHANNELS = ['chat', 'email', 'sms', 'whatsapp'] as const;
export const LOCALES = ['es', 'en'] as const;
/** Ids and keys the caller chooses: any text but control characters. */
export const ID_TEXT = /^[^\u0000-\u001f]+$/;

export const RUN_STATUSES = ['running', 'waiting', 'completed', 'failed', 'cancelled', 'terminated', 'timed_out'] as const;
export const WAITING_FOR = ['reply', 'event', 'timer', 'agent', 'subflow'] as const;
