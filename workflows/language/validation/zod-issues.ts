/** Turns zod issues into bilingual sentences naming the node and the field. */
import type { z } from 'zod';
import { fieldName } from '../field-names';
import { BRANCH_ID, EVENT_NAME } from '../nodes/fields';
import { IDENTIFIER, isReservedName } from '../text';
import type { LocalizedText } from '../types';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, LocalizedText> = {
  string: { es: 'un texto', en: 'a text' },
  number: { es: 'un número', en: 'a number' },
  int: { es: 'un número entero', en: 'a whole number' },
  boolean: { es: 'sí o no (true/false)', en: 'yes or no (true/false)' },
  object: { es: 'un objeto', en: 'an object' },
  record: { es: 'un objeto', en: 'an object' },
  array: { es: 'una lista', en: 'a list' },
};

const PATTERNS: [RegExp, LocalizedText][] = [
  [
    IDENTIFIER,
    {
      es: 'solo puede tener letras sin acentos, números y guiones bajos, y no puede empezar por un número',
      en: 'may only contain letters, digits and underscores, and cannot start with a digit',
    },
  ],
  [EVENT_NAME, { es: 'debe ser un nombre de evento como purchase.completed', en: 'must be an event name like purchase.completed' }],
  [BRANCH_ID, { es: 'no puede empezar ni terminar con espacios', en: 'cannot start or end with spaces' }],
];

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function sizeText(issue: Issue & { origin?: string }, bound: number, big: boolean, inclusive: boolean): LocalizedText {
  switch (issue.origin) {
    case 'string':
      if (!big && bound === 1) return { es: 'no puede estar vacío', en: 'cannot be empty' };
      return big
        ? { es: `debe tener como máximo ${bound} caracteres`, en: `must have at most ${bound} characters` }
        : { es: `debe tener al menos ${bound} caracteres`, en: `must have at least ${bound} characters` };
    case 'array':
    case 'set':
      return big
        ? { es: `debe tener como máximo ${bound} elementos`, en: `must have at most ${bound} items` }
        : { es: `debe tener al menos ${bound} elemento(s)`, en: `must have at least ${bound} item(s)` };
    default:
      if (big)
        return inclusive
          ? { es: `debe ser como máximo ${bound}`, en: `must be at most ${bound}` }
          : { es: `debe ser menor que ${bound}`, en: `must be less than ${bound}` };
      return inclusive
        ? { es: `debe ser como mínimo ${bound}`, en: `must be at least ${bound}` }
        : { es: `debe ser mayor que ${bound}`, en: `must be greater than ${bound}` };
  }
}

/** What is wrong with the field, as a predicate ("is required", "must be a number"...). */
function predicate(issue: Issue, data: unknown): LocalizedText {
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(data, issue.path) === undefined) return { es: 'es obligatorio', en: 'is required' };
      const t = TYPE_NAMES[issue.expected] ?? { es: 'de otro tipo', en: 'of another type' };
      return { es: `debe ser ${t.es}`, en: `must be ${t.en}` };
    }
    case 'too_small':
      return sizeText(issue, Number(issue.minimum), false, issue.inclusive !== false);
    case 'too_big':
      return sizeText(issue, Number(issue.maximum), true, issue.inclusive !== false);
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v)).join(', ');
      return { es: `debe ser uno de: ${values}`, en: `must be one of: ${values}` };
    }
    case 'invalid_format': {
      const pattern = (issue as { pattern?: string }).pattern;
      const value = valueAt(data, issue.path);
      if (pattern === String(IDENTIFIER) && typeof value === 'string' && isReservedName(value)) {
        return { es: `no puede ser «${value}», que es un nombre reservado`, en: `cannot be “${value}”, which is a reserved name` };
      }
      const known = PATTERNS.find(([re]) => String(re) === pattern);
      return known ? known[1] : { es: 'no tiene un formato válido', en: 'has an invalid format' };
    }
    case 'not_multiple_of':
      return { es: `debe ser múltiplo de ${issue.divisor}`, en: `must be a multiple of ${issue.divisor}` };
    case 'invalid_key':
      return { es: 'tiene un nombre de clave no válido', en: 'has an invalid key name' };
    default:
      return { es: 'no es válido', en: 'is invalid' };
  }
}

export function issuePath(issue: Issue): string {
  return issue.path.map((p) => String(p)).join('.');
}

/** A full bilingual sentence for one issue. */
export function issueText(issue: Issue, nodeName: string, data: unknown): LocalizedText {
  const path = issuePath(issue);
  const params = (issue as { params?: { es?: unknown; en?: unknown } }).params;
  if (issue.code === 'custom' && typeof params?.es === 'string' && typeof params?.en === 'string') {
    const whereEs = path ? ` (campo «${fieldName(path, 'es')}»)` : '';
    const whereEn = path ? ` (field “${fieldName(path, 'en')}”)` : '';
    return { es: `En el nodo «${nodeName}»${whereEs}: ${params.es}`, en: `In node “${nodeName}”${whereEn}: ${params.en}` };
  }
  if (path === '') {
    return { es: `Los datos del nodo «${nodeName}» no son válidos.`, en: `The data of node “${nodeName}” is invalid.` };
  }
  const what = predicate(issue, data);
  return {
    es: `En el nodo «${nodeName}», el campo «${fieldName(path, 'es')}» ${what.es}.`,
    en: `In node “${nodeName}”, the “${fieldName(path, 'en')}” field ${what.en}.`,
  };
}
