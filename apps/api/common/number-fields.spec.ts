import 'reflect-metadata';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { AlertRuleBodyDto } from '../alerts/dto/alerts.dto';
import { ListFlowsQueryDto } from '../flows/dto';
import { KpisQueryDto } from '../kpis/dto/kpis-query.dto';
import { RunEventsQueryDto, StartRunDto } from '../runs/dto';
import { decodeBytesCursor, encodeBytesCursor } from './cursor';
import { loadDtoMetadata } from './dto-metadata';
import { documentValidators } from './openapi';
import { versionParam } from './params';

// The global pipe, as app.factory.ts installs it.
const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

async function refusal(metatype: abstract new (...args: never[]) => unknown, type: 'query' | 'body', value: unknown): Promise<string> {
  try {
    await pipe.transform(value, { type, metatype: metatype as never });
  } catch (err) {
    if (err instanceof BadRequestException) return JSON.stringify(err.getResponse());
    throw err;
  }
  return 'accepted';
}

describe('int4 fields: integers PostgreSQL stores as integer are refused out of range, naming the field', () => {
  // As createApiApp does before building the document (it also makes null count only where documented).
  beforeAll(async () => {
    await loadDtoMetadata();
    documentValidators();
  });

  it.each([
    [RunEventsQueryDto, 'query', { afterSeq: '3000000000' }, 'afterSeq must be at most 2147483647'],
    [RunEventsQueryDto, 'query', { limit: '1.5' }, 'limit must be an integer'],
    [RunEventsQueryDto, 'query', { afterSeq: '' }, 'afterSeq must be an integer'],
    [KpisQueryDto, 'query', { version: '3000000000' }, 'version must be at most 2147483647'],
    [KpisQueryDto, 'query', { version: '1e3' }, 'version must be an integer'],
    [ListFlowsQueryDto, 'query', { limit: '101' }, 'limit must be at most 100'],
    [AlertRuleBodyDto, 'body', { name: 'x', kpi: 'escalationRate', comparator: '>', threshold: 1, version: 3000000000 }, 'version must be at most 2147483647'],
    [StartRunDto, 'body', { version: 3000000000 }, 'version must be at most 2147483647'],
  ] as const)('%p %s %j', async (dto, type, value, message) => {
    expect(await refusal(dto, type, value)).toContain(message);
  });

  it('accepts the largest int4 and converts query text to numbers', async () => {
    const query = (await pipe.transform({ afterSeq: '2147483647', limit: '10' }, { type: 'query', metatype: RunEventsQueryDto })) as RunEventsQueryDto;
    expect(query).toMatchObject({ afterSeq: 2147483647, limit: 10 });
  });

  it('refuses null for an optional field the document does not call nullable, and keeps it for one it does', async () => {
    expect(await refusal(StartRunDto, 'body', { version: null })).toContain('version must be an integer');
    expect(await refusal(AlertRuleBodyDto, 'body', { name: 'x', kpi: 'escalationRate', comparator: '>', threshold: 1, version: null })).toBe('accepted');
  });

  it('checks path versions the same way', () => {
    const version = versionParam('version');
    expect(version.transform('2147483647', { type: 'param' })).toBe(2147483647);
    expect(version.transform(7 as never, { type: 'param' })).toBe(7);
    for (const bad of ['3000000000', '0', '-1', '1.5', 'x'])
      expect(() => version.transform(bad, { type: 'param' })).toThrow('version must be a version number');
  });
});

describe('byte cursors', () => {
  it('round-trips a token and refuses one the API did not issue', () => {
    const token = Uint8Array.from([1, 2, 3, 250]);
    expect(Buffer.from(decodeBytesCursor(encodeBytesCursor(token)))).toEqual(Buffer.from(token));
    for (const bad of ['0000000000000000', 'AQID+g', '']) expect(() => decodeBytesCursor(bad)).toThrow('cursor is not a cursor this API returned');
  });
});
