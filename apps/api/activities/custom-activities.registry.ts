import { Injectable } from '@nestjs/common';
import type { CustomActivityDefinition, CustomActivityRegistry } from '../../../workflows/language';

/**
 * The custom activities (`activity:<name>`) the API knows: they appear in the palette and the
 * validator accepts them. Empty until developers' activity modules are loaded; `register` is the
 * hook a loader calls at start (the worker registers the implementations, this the contracts).
 */
@Injectable()
export class CustomActivitiesRegistry {
  private readonly activities: CustomActivityRegistry = {};

  register(name: string, definition: CustomActivityDefinition): void {
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/.test(name)) throw new Error(`invalid custom activity name "${name}"`);
    this.activities[name] = definition;
  }

  all(): CustomActivityRegistry {
    return this.activities;
  }
}
