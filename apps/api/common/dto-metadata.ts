import { SwaggerModule } from '@nestjs/swagger';
import pluginMetadata from '../openapi-metadata';

/** A property's OpenAPI metadata, as `@ApiProperty` or the plugin gives it. */
type PropertyMetadata = Record<string, unknown>;
type DtoClass = abstract new (...args: never[]) => unknown;
type PluginModels = [Promise<Record<string, DtoClass>>, Record<string, Record<string, PropertyMetadata>>][];

// @nestjs/swagger's metadata keys (its constants are not exported).
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const API_MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
const METADATA_FACTORY = '_OPENAPI_METADATA_FACTORY';

let loaded: Promise<void> | undefined;

/**
 * Loads what the Nest Swagger plugin inferred from the DTO files (types, `?`, JSDoc descriptions,
 * class-validator bounds): apps/api/openapi-metadata.ts, written by scripts/openapi-metadata.cjs.
 * Without it the document lists only the properties an explicit `@ApiProperty` names. Once per process.
 */
export function loadDtoMetadata(): Promise<void> {
  loaded ??= (async () => {
    await SwaggerModule.loadPluginMetadata(pluginMetadata);
    await keepSourceOrder();
  })();
  return loaded;
}

export function dtoMetadataLoaded(): boolean {
  return loaded !== undefined;
}

function propertyList(prototype: object): string[] {
  return (Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, prototype) as string[] | undefined) ?? [];
}

/**
 * Nest lists a DTO's properties in the order their metadata arrives: explicit decorators at import,
 * the plugin's at document time. Listing them in source order keeps the document (its `properties`
 * and `required`, and the editor's generated types) in the order the DTO is written. Parents first:
 * a subclass lists its parent's properties before its own.
 */
async function keepSourceOrder(): Promise<void> {
  const { models } = (await pluginMetadata())['@nestjs/swagger'] as unknown as { models: PluginModels };
  const classes: [DtoClass, string[]][] = [];
  for (const [file, byClass] of models) {
    const exports = await file;
    for (const [name, properties] of Object.entries(byClass)) classes.push([exports[name], Object.keys(properties)]);
  }
  const depth = (cls: DtoClass) => {
    let d = 0;
    for (let p: unknown = Object.getPrototypeOf(cls); p && p !== Function.prototype; p = Object.getPrototypeOf(p)) d++;
    return d;
  };
  for (const [cls, names] of classes.sort(([a], [b]) => depth(a) - depth(b))) {
    const prototype = cls.prototype as object;
    const ordered = [...propertyList(Object.getPrototypeOf(prototype) as object), ...names.map((n) => `:${n}`)];
    Reflect.defineMetadata(API_MODEL_PROPERTIES_ARRAY, [...new Set([...ordered, ...propertyList(prototype)])], prototype);
  }
}

/**
 * What a DTO documents for a property: the plugin's inference under the explicit `@ApiProperty`, as
 * the document generator merges them, in the decorator's shape (`type: String, isArray: true` for
 * the plugin's lazy `type: () => [String]`). Undefined for a property neither documents.
 */
export function documentedProperty(target: object, name: string): PropertyMetadata | undefined {
  const prototype = (target as { prototype: object }).prototype;
  const explicit = Reflect.getMetadata(API_MODEL_PROPERTIES, prototype, name) as PropertyMetadata | undefined;
  const factory = (target as Record<string, unknown>)[METADATA_FACTORY] as (() => Record<string, PropertyMetadata>) | undefined;
  const inferred = factory?.()[name];
  if (!inferred) return explicit;
  const lazy = typeof inferred.type === 'function' && inferred.type.name === 'type' ? (inferred.type as () => unknown)() : inferred.type;
  const shape = Array.isArray(lazy) ? { type: lazy[0] as unknown, isArray: true } : lazy === undefined ? {} : { type: lazy };
  return { ...inferred, ...shape, ...explicit };
}
