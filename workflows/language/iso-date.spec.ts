import { isIsoDate, parseIsoDate } from './iso-date';

describe('parseIsoDate', () => {
  it('parses dates and date-times; a missing offset means UTC', () => {
    expect(parseIsoDate('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    expect(parseIsoDate('2024-05-01T10:30:00')).toBe(Date.UTC(2024, 4, 1, 10, 30));
    expect(parseIsoDate('2024-05-01T10:30:00Z')).toBe(Date.UTC(2024, 4, 1, 10, 30));
    expect(parseIsoDate('2024-05-01T10:30:00.250Z')).toBe(Date.UTC(2024, 4, 1, 10, 30, 0, 250));
    expect(parseIsoDate('2024-05-01T12:30:00+02:00')).toBe(Date.UTC(2024, 4, 1, 10, 30));
    expect(parseIsoDate('2024-05-01T05:30-0500')).toBe(Date.UTC(2024, 4, 1, 10, 30));
    expect(parseIsoDate('2024-05-01 10:30')).toBe(Date.UTC(2024, 4, 1, 10, 30));
  });

  it('accepts epoch milliseconds and Dates', () => {
    expect(parseIsoDate(1714557600000)).toBe(1714557600000);
    expect(parseIsoDate(new Date(5))).toBe(5);
  });

  it.each(['2024-02-30', '2024-13-01', '2024-05-01T25:00', 'yesterday', '', '05/01/2024', null, undefined, {}, Number.NaN])('rejects %p', (value) => {
    expect(parseIsoDate(value)).toBeNull();
  });

  it('isIsoDate only accepts strings', () => {
    expect(isIsoDate('2024-05-01')).toBe(true);
    expect(isIsoDate(5)).toBe(false);
  });
});
