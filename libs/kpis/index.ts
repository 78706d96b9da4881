// KPIs, experiments, traffic and alerts over run events (see README, "KPIs and experiments").
export * from './config';
export * from './sql';
export * from './facts';
export * from './kpis';
export * from './nodes';
export * from './experiments';
export * from './traffic';
export * from './alerts';
export * from './csv';
export * from './stats';
export { ALERT_SCHEDULE_ID, ensureAlertSchedule, ensureAlertScheduleOnStart } from './alert-schedule';
