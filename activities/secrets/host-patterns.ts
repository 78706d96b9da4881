/**
 * Where a stored secret may be sent: its `allowedHosts`, set by an admin. Each entry is
 *
 * - an exact host name or IP address: `api.helpdesk.com`, `203.0.113.7`, `[2001:db8::1]`;
 * - or a wildcard for the subdomains of a domain (not the domain itself): `*.helpdesk.com`;
 * - optionally with a port: `api.helpdesk.com:8443`.
 *
 * An entry without a port matches only the scheme's default port (80 for http, 443 for https), so
 * allowing a host does not also allow whatever else listens on it. Host names are compared as the
 * URL parser normalises them (lower case, punycode), never by substring.
 */
export const MAX_ALLOWED_HOSTS = 50;

export interface HostPattern {
  /** The normalised host, without the `*.` of a wildcard. */
  host: string;
  wildcard: boolean;
  /** The port as text, or null for the scheme's default port. */
  port: string | null;
}

const ENTRY = /^(\*\.)?(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]\\*]+)(?::(\d{1,5}))?$/;

/** The entry parsed and normalised, or null when it is not a host, `*.domain` or either with `:port`. */
export function parseHostPattern(entry: unknown): HostPattern | null {
  if (typeof entry !== 'string' || entry.length > 260) return null;
  const match = ENTRY.exec(entry.trim());
  if (!match) return null;
  const [, star, rawHost, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  let host: string;
  try {
    const url = new URL(`http://${rawHost}/`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
    host = url.hostname;
  } catch {
    return null;
  }
  if (!host || host.endsWith('.')) return null;
  // A wildcard needs a registrable-looking domain under it: `*.com` or `*.[::1]` would allow far too much.
  if (star && (host.startsWith('[') || !host.includes('.') || /^[\d.]+$/.test(host))) return null;
  return { host, wildcard: !!star, port: port === undefined ? null : String(Number(port)) };
}

/** The canonical text of a valid entry (`*.Example.COM:0443` → `*.example.com:443`), or null. */
export function normaliseHostPattern(entry: unknown): string | null {
  const p = parseHostPattern(entry);
  return p ? `${p.wildcard ? '*.' : ''}${p.host}${p.port ? `:${p.port}` : ''}` : null;
}

export function hostPatternMatches(pattern: HostPattern, url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // The URL parser drops a default port (`https://h:443/` has port ''), so '' means the default one.
  if (pattern.port === null ? url.port !== '' : (url.port || (url.protocol === 'https:' ? '443' : '80')) !== pattern.port) return false;
  const host = url.hostname.toLowerCase();
  if (!pattern.wildcard) return host === pattern.host;
  return host.endsWith(`.${pattern.host}`) && host.length > pattern.host.length + 1;
}

/** True when one of the entries allows sending to this URL's host (entries that do not parse allow nothing). */
export function hostAllowed(allowedHosts: readonly string[] | null | undefined, url: URL): boolean {
  for (const entry of allowedHosts ?? []) {
    const pattern = parseHostPattern(entry);
    if (pattern && hostPatternMatches(pattern, url)) return true;
  }
  return false;
}
