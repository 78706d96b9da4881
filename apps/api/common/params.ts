import { BadRequestException, Injectable, Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { INT32_MAX } from './number-fields';

export const UUID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';

/** A path parameter that must be a UUID: 400 naming it otherwise. */
export const uuidParam = (name: string) => new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a UUID`) });

/** A version number: a positive int4, since versions are stored as PostgreSQL integers. */
export function parseVersion(value: string | number): number | null {
  // The global ValidationPipe (transform) has already turned a `number` parameter into a number.
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= INT32_MAX ? n : null;
}

/** A path parameter that must be a version number (1 to 2147483647). */
export const versionParam = (name: string): PipeTransform<string | number, number> => ({
  transform(value: string | number): number {
    const version = parseVersion(value);
    if (version === null) throw new BadRequestException(`${name} must be a version number (an integer from 1 to ${INT32_MAX})`);
    return version;
  },
});

export const VERSION_SCHEMA = { type: 'integer', format: 'int32', minimum: 1, maximum: INT32_MAX } as const;

/** Run ids are workflow ids: `run-<uuid>` (or `run-sched-<flow>-<time>` for scheduled runs). */
export const RUN_ID = /^run-[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/;

@Injectable()
export class RunIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !RUN_ID.test(value)) throw new BadRequestException('runId must be a run id such as run-<uuid>');
    return value;
  }
}

/*
 * Path parameters that validate and document themselves: the pipe that refuses a malformed value
 * and the OpenAPI schema that describes it are written once, side by side, so they cannot drift
 * (a client that follows the document never gets a 400 for the path, and one that does not gets it).
 */
function documentedParam(name: string, pipe: PipeTransform, doc: Record<string, unknown>): ParameterDecorator {
  return (target, key, index) => {
    Param(name, pipe)(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor) ApiParam({ name, required: true, ...doc } as Parameters<typeof ApiParam>[0])(target, key, descriptor);
  };
}

/** `@UuidParam('id')`: a UUID path parameter. */
export const UuidParam = (name: string, description: string) =>
  documentedParam(name, uuidParam(name), { description, schema: { type: 'string', format: 'uuid', pattern: UUID_PATTERN } });

/** `@VersionParam('version')`: a published version number. */
export const VersionParam = (name: string, description: string) => documentedParam(name, versionParam(name), { description, schema: VERSION_SCHEMA });

/** `@RunIdParam()`: the `:runId` of a run. */
export const RunIdParam = () =>
  documentedParam('runId', new RunIdPipe(), {
    description: 'Run id (the workflow id): run-<uuid>, or run-sched-<flow>-<time> for scheduled runs',
    schema: { type: 'string', pattern: RUN_ID.source, example: 'run-4b0f6d3e-8c1a-4c55-9a4e-2f1d0c9b7a61' },
  });
