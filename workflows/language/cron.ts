/** Validation of classic 5-field cron expressions: minute hour day-of-month month day-of-week. */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function value(token: string, field: CronField): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  const idx = field.names?.indexOf(token.toUpperCase()) ?? -1;
  if (idx < 0) return null;
  return field.name === 'month' ? idx + 1 : idx;
}

function checkPart(part: string, field: CronField): string | null {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined) return `too many "/" in ${field.name} "${part}"`;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `invalid step in ${field.name} "${part}"`;
  if (range === '*') return null;
  const bounds = range.split('-');
  if (bounds.length > 2) return `invalid range in ${field.name} "${part}"`;
  const nums = bounds.map((b) => value(b, field));
  if (nums.some((n) => n === null || n < field.min || n > field.max)) {
    return `${field.name} "${part}" is out of range ${field.min}-${field.max}`;
  }
  if (nums.length === 2 && (nums[0] as number) > (nums[1] as number)) return `reversed range in ${field.name} "${part}"`;
  return null;
}

/** Returns a description of what is wrong with the expression, or null when it is a valid 5-field cron. */
export function checkCron(expression: string): string | null {
  if (typeof expression !== 'string') return 'a cron expression is required';
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') return `expected 5 fields (minute hour day month weekday), found ${parts[0] === '' ? 0 : parts.length}`;
  for (let i = 0; i < 5; i++) {
    for (const item of parts[i].split(',')) {
      if (item === '') return `empty item in ${FIELDS[i].name}`;
      const problem = checkPart(item, FIELDS[i]);
      if (problem) return problem;
    }
  }
  return null;
}
