/** Human names for data fields in validator messages: `tiers.0.sla` → «SLA (tiers.0.sla)». */
import type { Locale } from './types';

// A table, one row per line of meaning: kept as written.
// prettier-ignore
const ES: Record<string, string> = {
  text: 'texto', variable: 'variable', options: 'opciones', label: 'etiqueta', value: 'valor', validation: 'validación',
  pattern: 'patrón', timeout: 'tiempo límite', invalidText: 'texto de respuesta no válida', maxAttempts: 'intentos máximos',
  rule: 'regla', cases: 'casos', id: 'identificador', duration: 'duración', until: 'hasta', event: 'evento',
  assignments: 'asignaciones', template: 'plantilla', experiment: 'experimento', variants: 'variantes', weight: 'peso',
  goal: 'objetivo', intents: 'intenciones', examples: 'ejemplos', threshold: 'umbral', question: 'pregunta',
  minConfidence: 'confianza mínima', collection: 'colección', tiers: 'niveles', queue: 'cola', notify: 'avisos',
  channel: 'canal', to: 'destinatario', sla: 'SLA', messages: 'mensajes', maxConversation: 'duración máxima de la conversación',
  by: 'buscar por', fields: 'campos', addTags: 'etiquetas a añadir', removeTags: 'etiquetas a quitar', subject: 'asunto',
  description: 'descripción', priority: 'prioridad', method: 'método', url: 'URL', headers: 'cabeceras',
  secretHeaders: 'cabeceras secretas', body: 'cuerpo', rules: 'reglas', condition: 'condición', action: 'acción',
  activeFrom: 'activa desde', activeTo: 'activa hasta', features: 'indicadores', flowId: 'flujo', version: 'versión',
  input: 'entrada', outcome: 'resultado', message: 'mensaje', trigger: 'disparador', cron: 'programación',
  buttons: 'botones', synonyms: 'sinónimos', content: 'contenido', offer: 'oferta', variables: 'variables',
  min: 'mínimo', max: 'máximo', kind: 'tipo', name: 'nombre', type: 'tipo', default: 'valor inicial', notes: 'notas',
  waiting: 'mensaje de espera', accepted: 'mensaje de aceptación', nextTier: 'mensaje de siguiente nivel',
  unresolved: 'mensaje sin resolver', returned: 'mensaje de vuelta al bot', resolved: 'mensaje de resuelto',
  includeSummary: 'incluir resumen', allowConcurrent: 'permitir runs simultáneos', sendReply: 'enviar respuesta', adaptive: 'adaptativo',
};

// A table, one row per line of meaning: kept as written.
// prettier-ignore
const EN: Record<string, string> = {
  invalidText: 'invalid-reply text', maxAttempts: 'max attempts', minConfidence: 'minimum confidence', sla: 'SLA',
  maxConversation: 'max conversation time', addTags: 'tags to add', removeTags: 'tags to remove', url: 'URL',
  secretHeaders: 'secret headers', activeFrom: 'active from', activeTo: 'active to', flowId: 'flow', by: 'look up by',
  nextTier: 'next-tier message', includeSummary: 'include summary', allowConcurrent: 'allow concurrent runs', sendReply: 'send reply',
  default: 'initial value', to: 'recipient',
};

/** The display name of a data path in the given language. */
export function fieldName(path: string | number | undefined, locale: Locale): string {
  const text = path === undefined ? '' : String(path);
  if (text === '') return locale === 'es' ? 'datos' : 'data';
  const parts = text.split('.');
  const key = [...parts].reverse().find((p) => !/^\d+$/.test(p)) ?? text;
  const name = (locale === 'es' ? ES[key] : EN[key]) ?? key;
  return parts.length === 1 ? name : `${name} (${text})`;
}
