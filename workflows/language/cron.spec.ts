import { checkCron } from './cron';

describe('checkCron', () => {
  it.each(['* * * * *', '0 9 * * 1', '*/15 8-18 * * MON-FRI', '0 0 1,15 * *', '30 2 * JAN,jul 0', '0 12 * * 7', '5-10/2 * 31 12 *'])('accepts %j', (expr) => {
    expect(checkCron(expr)).toBeNull();
  });

  it.each([
    ['', /5 fields/],
    ['* * * *', /5 fields/],
    ['* * * * * *', /5 fields/],
    ['61 * * * *', /minute/],
    ['* 24 * * *', /hour/],
    ['* * 0 * *', /day of month/],
    ['* * * 13 *', /month/],
    ['* * * * 8', /day of week/],
    ['*/0 * * * *', /step/],
    ['10-5 * * * *', /reversed/],
    ['1,,2 * * * *', /empty/],
    ['@daily', /5 fields/],
    ['* * * FOO *', /month/],
  ])('rejects %j', (expr, reason) => {
    expect(checkCron(expr)).toMatch(reason);
  });
});
