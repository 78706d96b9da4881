import type { HandlerOf } from './types';

/** The trigger: the run begins here and goes on at once. */
export const start: HandlerOf<'start'> = () => ({ branch: 'next' });
