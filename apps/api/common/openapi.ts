import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { documentedProperty, dtoMetadataLoaded } from './dto-metadata';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

interface ValidationMetadata {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

/** A class, as class-validator and reflect-metadata key their metadata. */
type ClassRef = abstract new (...args: never[]) => unknown;

function validationMetadatas(): Map<ClassRef, ValidationMetadata[]> {
  return (getMetadataStorage() as unknown as { validationMetadatas: Map<ClassRef, ValidationMetadata[]> }).validationMetadatas;
}

/**
 * Copies the bounds the class-validator decorators enforce (lengths, patterns, allowed values,
 * UUIDs, numeric and array bounds) into the OpenAPI property metadata of every documented DTO
 * property, for bodies and query parameters alike. The validators are what the API does, so the
 * document derived from them cannot promise a value the API refuses, nor omit a rule it enforces.
 * What a property already documents explicitly is kept. Call after loadDtoMetadata and before
 * SwaggerModule.createDocument.
 */
export function documentValidators(): void {
  if (!dtoMetadataLoaded()) throw new Error('documentValidators: call loadDtoMetadata() first');
  for (const [target, metadatas] of validationMetadatas()) {
    for (const m of metadatas) {
      const property = documentedProperty(target, m.propertyName) as Schema | undefined;
      if (!property || !m.name) continue; // not documented: nothing to complete
      const doc = { ...property };
      let changed = false;
      if (m.type === 'conditionalValidation' && m.name === 'isOptional' && !doc.nullable) {
        // @IsOptional would skip the validators for null too, accepting a null the document does not
        // allow (and the service may not expect); only properties documented nullable keep that.
        const name = m.propertyName;
        m.constraints = [(object: Record<string, unknown>) => object[name] !== undefined];
      } else if (m.type === 'customValidation' && m.each) {
        // `each: true` constrains every element of an array of strings.
        if (doc.isArray && doc.type === String) {
          delete doc.isArray;
          doc.type = 'array';
          doc.items = { type: 'string' };
        }
        if (doc.type === 'array' && doc.items && !doc.items.$ref) {
          doc.items = { ...doc.items };
          changed = applyConstraint(doc.items, m.name, m.constraints ?? []);
        }
      } else if (m.type === 'customValidation') {
        changed = applyConstraint(doc, m.name, m.constraints ?? []);
      }
      if (changed) Reflect.defineMetadata(API_MODEL_PROPERTIES, doc, target.prototype, m.propertyName);
    }
  }
}

const UUID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';

function applyConstraint(doc: Schema, name: string, constraints: unknown[]): boolean {
  const set = (key: string, value: unknown) => {
    if (doc[key] !== undefined || value === undefined) return false;
    doc[key] = value;
    return true;
  };
  const [first] = constraints;
  switch (name) {
    case 'minLength':
      return set('minLength', first);
    case 'maxLength':
      return set('maxLength', first);
    case 'min':
      return set('minimum', first);
    case 'max':
      return set('maximum', first);
    case 'arrayMinSize':
      return set('minItems', first);
    case 'arrayMaxSize':
      return set('maxItems', first);
    case 'isIn':
      return Array.isArray(first) ? set('enum', first) : false;
    case 'isUUID': {
      const format = set('format', 'uuid');
      return set('pattern', UUID_PATTERN) || format;
    }
    case 'matches': {
      if (!(first instanceof RegExp) || first.flags.replace(/[ug]/g, '') !== '') return false;
      if (doc.pattern === undefined) return set('pattern', first.source);
      // JSON Schema has one pattern per schema; further ones go into allOf, all of which must hold.
      if (doc.pattern === first.source || (doc.allOf ?? []).some((s: Schema) => s.pattern === first.source)) return false;
      doc.allOf = [...(doc.allOf ?? []), { type: 'string', pattern: first.source }];
      return true;
    }
    default:
      return false;
  }
}

/**
 * Makes the generated document say what the API does where Nest's generator cannot see it:
 * request bodies are validated with `forbidNonWhitelisted`, so a property the DTO does not declare
 * is refused with 400; the document says so with `additionalProperties: false` on each body DTO
 * and on each nested DTO that is validated too (`@ValidateNested`), and on nothing else.
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const closed = new Set<string>();
  const close = (name: string) => {
    const schema = schemas[name];
    if (!schema || closed.has(name)) return;
    closed.add(name);
    schema.additionalProperties = false;
    for (const [property, nested] of nestedValidated(name)) {
      const ref = refName(schema.properties?.[property]);
      if (ref && ref === nested) close(ref);
    }
  };
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      jsonErrors((path as Schema)[method]?.responses);
      splitBodyAlternatives((path as Schema)[method]?.requestBody?.content);
      const body = (path as Schema)[method]?.requestBody?.content?.['application/json']?.schema;
      const ref = refName(body);
      if (ref) close(ref);
    }
  }
  return document;
}

/**
 * A body that is JSON or text (`@ApiConsumes('application/json', 'text/markdown')` with a oneOf of a
 * DTO and a string) gets the same oneOf under every media type from Nest; each media type gets
 * its own alternative instead: the DTO for JSON, the string for text.
 */
function splitBodyAlternatives(content: Record<string, { schema?: Schema }> | undefined): void {
  if (!content || Object.keys(content).length < 2) return;
  for (const [mediaType, media] of Object.entries(content)) {
    const alternatives: Schema[] | undefined = media.schema?.oneOf;
    if (!alternatives) continue;
    const json = mediaType.includes('json');
    const kept = alternatives.filter((a) => (json ? a.type !== 'string' : a.type === 'string'));
    if (kept.length === 1) media.schema = kept[0];
  }
}

/** Errors are JSON even on routes that answer CSV (`@ApiProduces('text/csv')` marks every response). */
function jsonErrors(responses: Record<string, { content?: Record<string, { schema?: Schema }> }> | undefined): void {
  for (const [status, response] of Object.entries(responses ?? {})) {
    if (Number(status) < 400 || !response.content) continue;
    const schema = Object.values(response.content).find((c) => c.schema)?.schema;
    if (schema) response.content = { 'application/json': { schema } };
  }
}

function refName(schema: Schema | undefined): string | undefined {
  const ref: unknown = schema?.$ref ?? schema?.items?.$ref ?? schema?.allOf?.[0]?.$ref;
  return typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined;
}

/** The properties of DTO class `name` validated as nested DTOs, with the nested class's name. */
function nestedValidated(name: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [target, metadatas] of validationMetadatas()) {
    if (target.name !== name) continue;
    for (const m of metadatas) {
      if (m.type !== 'nestedValidation') continue;
      const type = Reflect.getMetadata('design:type', target.prototype, m.propertyName) as ClassRef | undefined;
      // Arrays reflect as Array: the element class is named by class-transformer's @Type.
      const element = type === Array ? nestedTypeOf(target, m.propertyName) : type;
      if (element) out.push([m.propertyName, element.name]);
    }
  }
  return out;
}

function nestedTypeOf(target: ClassRef, property: string): ClassRef | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
    defaultMetadataStorage: { findTypeMetadata(target: ClassRef, property: string): { typeFunction: () => ClassRef } | undefined };
  };
  return defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction();
}

/**
 * 405 with `Allow` for a method the document does not list on a path it does (TRACE, PATCH on a
 * collection, ...), instead of Express's 404: the route exists, the method does not. The table is
 * the OpenAPI document itself, so the answer and the document cannot disagree. HEAD goes where GET
 * does; paths the document does not know fall through to the usual 404.
 */
export function methodNotAllowed(prefix: string): { middleware: RequestHandler; use(document: OpenAPIObject): void } {
  let routes: { pattern: RegExp; allow: string[] }[] = [];
  return {
    use(document) {
      routes = Object.entries(document.paths).map(([template, item]) => {
        const allow = METHODS.filter((m) => (item as Schema)[m]).map((m) => m.toUpperCase());
        if (allow.includes('GET') && !allow.includes('HEAD')) allow.push('HEAD');
        const source = template
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+');
        return { pattern: new RegExp(`^${source}/?$`), allow };
      });
    },
    middleware(req: Request, res: Response, next: NextFunction) {
      if (!req.path.startsWith(`/${prefix}/`)) return next();
      const route = routes.find((r) => r.pattern.test(req.path));
      if (!route || route.allow.includes(req.method)) return next();
      res.setHeader('Allow', route.allow.join(', '));
      res
        .status(405)
        .json({ statusCode: 405, error: 'Method Not Allowed', message: `${req.method} is not allowed on ${req.path}; allowed: ${route.allow.join(', ')}` });
    },
  };
}
