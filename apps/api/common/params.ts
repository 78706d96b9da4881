import { BadRequestException, Injectable, ParseIntPipe, ParseUUIDPipe, PipeTransform } from '@nestjs/common';

/** A path parameter that must be a UUID: 400 naming it otherwise. */
export const uuidParam = (name: string) => new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a UUID`) });

/** A path parameter that must be a positive integer (a version number). */
export const versionParam = (name: string) =>
  new ParseIntPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a version number (a positive integer)`) });

/** Run ids are workflow ids: `run-<uuid>` (or `run-sched-<flow>-<time>` for scheduled runs). */
export const RUN_ID = /^run-[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/;

@Injectable()
export class RunIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !RUN_ID.test(value)) throw new BadRequestException('runId must be a run id such as run-<uuid>');
    return value;
  }
}
