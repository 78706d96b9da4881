/**
 * Every validator problem code, its severity and its message in Spanish and English, written for a
 * CX lead who does not code. Codes are stable: the API and the editor key on them.
 */
import { fieldName } from './field-names';
import type { LocalizedText, Severity } from './types';

export type MessageParams = Record<string, string | number>;

interface MessageDefinition {
  severity: Severity;
  es: (p: MessageParams) => string;
  en: (p: MessageParams) => string;
}

const def = (severity: Severity, es: MessageDefinition['es'], en: MessageDefinition['en']): MessageDefinition => ({ severity, es, en });

export const PROBLEM_MESSAGES = {
  // The flow as a whole
  'flow.invalid': def(
    'error',
    () => 'La definición del flujo no es válida: debe ser un objeto con «nodes» y «edges».',
    () => 'The flow definition is invalid: it must be an object with “nodes” and “edges”.',
  ),
  'flow.nodes_not_array': def(
    'error',
    () => 'La lista de nodos («nodes») no es válida.',
    () => 'The node list (“nodes”) is invalid.',
  ),
  'flow.edges_not_array': def(
    'error',
    () => 'La lista de conexiones («edges») no es válida.',
    () => 'The connection list (“edges”) is invalid.',
  ),
  'flow.variables_not_array': def(
    'error',
    () => 'La lista de variables del flujo («variables») no es válida.',
    () => 'The flow variable list (“variables”) is invalid.',
  ),
  'flow.validation_failed': def(
    'error',
    (p) => `No se pudo validar el flujo por un error interno (${p.detail}).`,
    (p) => `The flow could not be validated because of an internal error (${p.detail}).`,
  ),
  'flow.no_start': def(
    'error',
    () => 'El flujo no tiene nodo de inicio. Añade un nodo «Inicio».',
    () => 'The flow has no start node. Add a “Start” node.',
  ),
  'flow.multiple_starts': def(
    'error',
    (p) => `El flujo solo puede tener un nodo de inicio; «${p.node}» sobra.`,
    (p) => `A flow can only have one start node; “${p.node}” is one too many.`,
  ),
  'flow.spinning_cycle': def(
    'error',
    (p) =>
      `Los nodos ${p.pathEs} forman un bucle que puede repetirse sin fin sin esperar al cliente ni a un evento. Añade una espera (pregunta, retraso, espera de evento) o un contador con límite.`,
    (p) =>
      `Nodes ${p.pathEn} form a loop that can repeat forever without waiting for the customer or an event. Add a wait (ask, delay, wait for event) or a bounded counter.`,
  ),
  // Nodes
  'node.malformed': def(
    'error',
    (p) => `El elemento ${p.index} de la lista de nodos no es un nodo válido.`,
    (p) => `Item ${p.index} of the node list is not a valid node.`,
  ),
  'node.missing_id': def(
    'error',
    (p) => `El nodo ${p.node} no tiene identificador.`,
    (p) => `Node ${p.node} has no id.`,
  ),
  'node.reserved_id': def(
    'error',
    (p) => `«${p.id}» es un nombre reservado y no puede ser el identificador de un nodo; usa otro.`,
    (p) => `“${p.id}” is a reserved name and cannot be a node id; use another.`,
  ),
  'node.duplicate_id': def(
    'error',
    (p) => `Hay varios nodos con el identificador «${p.id}»; cada nodo necesita uno propio.`,
    (p) => `Several nodes have the id “${p.id}”; each node needs its own.`,
  ),
  'node.unknown_type': def(
    'error',
    (p) => `El nodo «${p.node}» es de un tipo desconocido («${p.type}»).`,
    (p) => `Node “${p.node}” has an unknown type (“${p.type}”).`,
  ),
  'node.unknown_activity': def(
    'error',
    (p) => `El nodo «${p.node}» usa la actividad «${p.activity}», que no está registrada.`,
    (p) => `Node “${p.node}” uses the activity “${p.activity}”, which is not registered.`,
  ),
  'node.invalid_data': def(
    'error',
    (p) => String(p.es),
    (p) => String(p.en),
  ),
  'node.unknown_field': def(
    'warning',
    (p) => `El nodo «${p.node}» tiene un campo desconocido «${fieldName(p.field, 'es')}», que se ignorará.`,
    (p) => `Node “${p.node}” has an unknown field “${fieldName(p.field, 'en')}”, which will be ignored.`,
  ),
  'node.unknown_subflow': def(
    'error',
    (p) => `El nodo «${p.node}» llama al flujo «${p.flow}», que no existe o no está publicado.`,
    (p) => `Node “${p.node}” calls the flow “${p.flow}”, which does not exist or is not published.`,
  ),
  'node.unreachable': def(
    'warning',
    (p) => `El nodo «${p.node}» no se alcanza desde el inicio; nunca se ejecutará.`,
    (p) => `Node “${p.node}” cannot be reached from the start; it will never run.`,
  ),
  'node.branch_unconnected': def(
    'error',
    (p) => `El nodo «${p.node}» tiene la salida «${p.branch}» sin conectar.`,
    (p) => `Node “${p.node}” has its “${p.branch}” branch unconnected.`,
  ),
  'node.branch_multiple': def(
    'error',
    (p) => `La salida «${p.branch}» del nodo «${p.node}» tiene ${p.count} conexiones; solo puede tener una.`,
    (p) => `The “${p.branch}” branch of node “${p.node}” has ${p.count} connections; it can only have one.`,
  ),
  // Edges
  'edge.malformed': def(
    'error',
    (p) => `El elemento ${p.index} de la lista de conexiones no es una conexión válida.`,
    (p) => `Item ${p.index} of the connection list is not a valid connection.`,
  ),
  'edge.missing_id': def(
    'error',
    (p) => `La conexión ${p.edge} no tiene identificador.`,
    (p) => `Connection ${p.edge} has no id.`,
  ),
  'edge.duplicate_id': def(
    'error',
    (p) => `Hay varias conexiones con el identificador «${p.id}».`,
    (p) => `Several connections have the id “${p.id}”.`,
  ),
  'edge.missing_handle': def(
    'error',
    (p) => `La conexión que sale de «${p.node}» no indica de qué salida parte.`,
    (p) => `The connection leaving “${p.node}” does not say which branch it leaves from.`,
  ),
  'edge.dangling_source': def(
    'error',
    (p) => `La conexión «${p.edge}» sale de un nodo que no existe («${p.id}»).`,
    (p) => `Connection “${p.edge}” leaves from a node that does not exist (“${p.id}”).`,
  ),
  'edge.dangling_target': def(
    'error',
    (p) => `La conexión «${p.edge}» llega a un nodo que no existe («${p.id}»).`,
    (p) => `Connection “${p.edge}” goes to a node that does not exist (“${p.id}”).`,
  ),
  'edge.unknown_branch': def(
    'error',
    (p) =>
      `Una conexión sale de la salida «${p.branch}» del nodo «${p.node}», pero ese nodo no tiene esa salida${p.branches ? ` (tiene: ${p.branches})` : ''}.`,
    (p) => `A connection leaves node “${p.node}” from a “${p.branch}” branch, but the node has no such branch${p.branches ? ` (it has: ${p.branches})` : ''}.`,
  ),
  'edge.into_start': def(
    'error',
    (p) => `La conexión «${p.edge}» llega al nodo de inicio «${p.node}»; nada puede volver al inicio.`,
    (p) => `Connection “${p.edge}” goes into the start node “${p.node}”; nothing can go back to the start.`,
  ),
  // Expressions
  'rule.invalid': def(
    'error',
    (p) => `En el nodo «${p.node}», la regla de «${fieldName(p.field, 'es')}» no es válida: ${p.es}.`,
    (p) => `In node “${p.node}”, the rule in “${fieldName(p.field, 'en')}” is invalid: ${p.en}.`,
  ),
  'template.invalid': def(
    'error',
    (p) => `En el nodo «${p.node}», la plantilla de «${fieldName(p.field, 'es')}» tiene un error: ${p.es}.`,
    (p) => `In node “${p.node}”, the template in “${fieldName(p.field, 'en')}” has an error: ${p.en}.`,
  ),
  'duration.invalid': def(
    'error',
    (p) => `En el nodo «${p.node}», «${p.value}» no es una duración válida en «${fieldName(p.field, 'es')}» (ejemplos: 90s, 15m, 2h, 1h30m, 3d).`,
    (p) => `In node “${p.node}”, “${p.value}” is not a valid duration in “${fieldName(p.field, 'en')}” (examples: 90s, 15m, 2h, 1h30m, 3d).`,
  ),
  'duration.out_of_range': def(
    'error',
    (p) => `En el nodo «${p.node}», la duración «${p.value}» de «${fieldName(p.field, 'es')}» debe estar entre 100 ms y 365 días.`,
    (p) => `In node “${p.node}”, the duration “${p.value}” in “${fieldName(p.field, 'en')}” must be between 100 ms and 365 days.`,
  ),
  'cron.invalid': def(
    'error',
    (p) =>
      `En el nodo «${p.node}», la programación «${p.value}» no es una expresión cron válida de 5 campos (minuto hora día mes día-de-la-semana): ${p.detail}.`,
    (p) => `In node “${p.node}”, the schedule “${p.value}” is not a valid 5-field cron expression (minute hour day month weekday): ${p.detail}.`,
  ),
  'regex.invalid': def(
    'error',
    (p) => `En el nodo «${p.node}», la expresión regular de «${fieldName(p.field, 'es')}» no es válida: ${p.detailEs ?? p.detail}.`,
    (p) => `In node “${p.node}”, the regular expression in “${fieldName(p.field, 'en')}” is invalid: ${p.detail}.`,
  ),
  // Variables
  'variable.unknown': def(
    'warning',
    (p) => `En el nodo «${p.node}», «${fieldName(p.field, 'es')}» usa la variable «vars.${p.variable}», que ningún nodo ni declaración del flujo define.`,
    (p) => `In node “${p.node}”, “${fieldName(p.field, 'en')}” reads the variable “vars.${p.variable}”, which no node or flow declaration defines.`,
  ),
  'variable.unknown_root': def(
    'error',
    (p) =>
      `En el nodo «${p.node}», «${fieldName(p.field, 'es')}» usa «${p.path}», pero «${p.root}» no existe. Se puede leer: input, vars, customer, last, run, nodes y event.`,
    (p) =>
      `In node “${p.node}”, “${fieldName(p.field, 'en')}” reads “${p.path}”, but “${p.root}” does not exist. Readable roots: input, vars, customer, last, run, nodes and event.`,
  ),
  'variable.reserved_name': def(
    'error',
    (p) => `En el nodo «${p.node}», «${fieldName(p.field, 'es')}» usa «${p.path}»: «${p.name}» es un nombre reservado que no se puede leer.`,
    (p) => `In node “${p.node}”, “${fieldName(p.field, 'en')}” reads “${p.path}”: “${p.name}” is a reserved name that cannot be read.`,
  ),
  'variable.unknown_node': def(
    'error',
    (p) => `En el nodo «${p.node}», «${fieldName(p.field, 'es')}» lee la salida del nodo «${p.target}», que no existe.`,
    (p) => `In node “${p.node}”, “${fieldName(p.field, 'en')}” reads the output of node “${p.target}”, which does not exist.`,
  ),
  'variable.invalid_declaration': def(
    'error',
    (p) => `La variable del flujo número ${p.index} no es válida: ${p.es}.`,
    (p) => `Flow variable number ${p.index} is invalid: ${p.en}.`,
  ),
} satisfies Record<string, MessageDefinition>;

export type ProblemCode = keyof typeof PROBLEM_MESSAGES;
export const PROBLEM_CODES = Object.keys(PROBLEM_MESSAGES) as ProblemCode[];

export function problemSeverity(code: ProblemCode): Severity {
  return PROBLEM_MESSAGES[code].severity;
}

export function problemText(code: ProblemCode, params: MessageParams): LocalizedText {
  const d = PROBLEM_MESSAGES[code];
  return { es: d.es(params), en: d.en(params) };
}
