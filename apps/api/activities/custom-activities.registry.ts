import { Injectable } from '@nestjs/common';
import { customActivityCatalog, loadCustomActivities } from '../../../activities/custom/registry';
import type { CustomActivityDefinition, CustomActivityRegistry } from '../../../workflows/language';

/**
 * The custom activities (`activity:<name>`) the API knows: they appear in the palette and the
 * validator accepts them. At start it loads every `defineActivity` file in activities/custom/, the
 * same files the worker registers; `register` adds more (tests, plugins).
 */
@Injectable()
export class CustomActivitiesRegistry {
  private readonly activities: CustomActivityRegistry = customActivityCatalog(loadCustomActivities()) as CustomActivityRegistry;

  register(name: string, definition: CustomActivityDefinition): void {
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/.test(name)) throw new Error(`invalid custom activity name "${name}"`);
    this.activities[name] = definition;
  }

  all(): CustomActivityRegistry {
    return this.activities;
  }
}
