// KPIs, experiments, traffic and alerts over run events (see README, "KPIs and experiments").
// The alert check that runs on a schedule is an upkeep job (upkeep/alert-check).
export * from './config';
export * from './sql';
export * from './facts';
export * from './kpis';
export * from './registry';
export * from './nodes';
export * from './experiments';
export * from './traffic';
export * from './alerts';
export * from './csv';
export * from './stats';
export * from './freshness';
