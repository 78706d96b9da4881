/**
 * Secrets an `http` node sends, checked against where their admin allows them to go. The validator
 * itself cannot see the secrets table, so this check takes an `available` callback from its caller
 * (the API, at validate, publish and test-run time) and is not part of `validateFlow`.
 *
 * A URL whose scheme and host are literal (`https://api.helpdesk.com/tickets/{{ vars.id }}`) is
 * checked now; one whose host comes from a template can only be checked by the activity, at run
 * time, so here the secret need only be usable somewhere by this flow.
 *
 * The message is the same whether the secret does not exist or is not allowed: a flow author must
 * not learn other secrets' names, or their scopes, from the validator.
 */
import type { FlowProblem, Locale } from '../types';

export const SECRET_NOT_AVAILABLE = 'node.secret_not_available';

export interface SecretReference {
  nodeId: string;
  /** The node's label, else its id. */
  nodeName: string;
  header: string;
  secret: string;
  /** The URL up to its host when that part is literal (no template tag before the path), else null. */
  literalUrl: URL | null;
}

const TAG = /\{\{|\{%/;

/**
 * The URL's scheme, host and port when no template tag comes before the end of its authority (the
 * first `/`, `?`, `#` or `\` after `scheme://`); null when a template decides the host (or the
 * literal part is not a valid http(s) URL, which the run will refuse anyway).
 */
export function literalUrlHost(template: string): URL | null {
  const text = template.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (!scheme) return null;
  const rest = text.slice(scheme[0].length);
  const end = rest.search(/[/?#\\]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  if (TAG.test(authority)) return null;
  // A tag right after the authority (`https://h{{ x }}`) could still extend the host.
  if (end === -1 && TAG.test(text)) return null;
  try {
    const url = new URL(`${scheme[0]}${authority}/`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every (http node, header, secret) of a flow definition, read defensively (the flow may be invalid). */
export function secretReferences(flow: unknown): SecretReference[] {
  const out: SecretReference[] = [];
  const nodes = isObject(flow) && Array.isArray(flow.nodes) ? flow.nodes : [];
  for (const node of nodes) {
    if (!isObject(node) || node.type !== 'http' || typeof node.id !== 'string' || !isObject(node.data)) continue;
    const { secretHeaders, url, label } = node.data;
    if (!isObject(secretHeaders)) continue;
    const literalUrl = typeof url === 'string' ? literalUrlHost(url) : null;
    const nodeName = typeof label === 'string' && label.trim() !== '' ? label : node.id;
    for (const [header, secret] of Object.entries(secretHeaders)) {
      if (typeof secret === 'string') out.push({ nodeId: node.id, nodeName, header, secret, literalUrl });
    }
  }
  return out;
}

/**
 * One error per secret header the caller says is not available: `available(secret, url)` gets the
 * literal URL (scheme, host, port) or null for a templated host.
 */
export function checkSecretUse(flow: unknown, available: (ref: SecretReference) => boolean, locale: Locale): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const ref of secretReferences(flow)) {
    if (available(ref)) continue;
    const messages = secretNotAvailableText(ref);
    problems.push({
      code: SECRET_NOT_AVAILABLE,
      severity: 'error',
      message: messages[locale],
      messages,
      nodeId: ref.nodeId,
      field: `secretHeaders.${ref.header}`,
    });
  }
  return problems;
}

function secretNotAvailableText(ref: SecretReference): { es: string; en: string } {
  const host = ref.literalUrl?.host;
  return {
    es: host
      ? `El nodo «${ref.nodeName}» envía el secreto «${ref.secret}» (cabecera «${ref.header}») a ${host}, pero ese secreto no está disponible para ese host en este flujo. Un administrador debe añadir ${host} a sus hosts permitidos (allowedHosts) y, si lo limita a algunos flujos o roles, permitir este flujo y tu rol.`
      : `El nodo «${ref.nodeName}» usa el secreto «${ref.secret}» (cabecera «${ref.header}»), pero ese secreto no está disponible para este flujo. Un administrador debe darle hosts permitidos (allowedHosts) y, si lo limita a algunos flujos o roles, permitir este flujo y tu rol.`,
    en: host
      ? `Node “${ref.nodeName}” sends the secret “${ref.secret}” (header “${ref.header}”) to ${host}, but that secret is not available for that host in this flow. An admin must add ${host} to its allowed hosts (allowedHosts) and, if it is limited to some flows or roles, allow this flow and your role.`
      : `Node “${ref.nodeName}” uses the secret “${ref.secret}” (header “${ref.header}”), but that secret is not available to this flow. An admin must give it allowed hosts (allowedHosts) and, if it is limited to some flows or roles, allow this flow and your role.`,
  };
}
