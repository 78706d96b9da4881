// The run routes' request and response bodies, one file per job; `from './dto'` keeps importing them all.
export * from './business-events';
export * from './cancel';
export * from './fields';
export * from './messages';
export * from './run';
export * from './run-events';
export * from './start';
