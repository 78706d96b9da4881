// The AI routes' request and response bodies; `from './dto'` imports them all.
export * from './classify-try';
