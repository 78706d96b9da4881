import * as dns from 'node:dns';
import * as net from 'node:net';

/**
 * Outbound-request safety (SSRF): flows are drawn by CX leads and their URLs are templates filled
 * with customer data, so the worker must not be steered into its own network.
 *
 * Refused unless `allowPrivateNetworks`: loopback (127/8, ::1), unspecified (0/8, ::), link-local
 * (169.254/16, fe80::/10), private (10/8, 172.16/12, 192.168/16, 100.64/10 shared, fc00::/7 unique
 * local, fec0::/10 site-local), and reserved or special-purpose ranges (documentation, benchmarking,
 * multicast, 240/4, broadcast). IPv4 embedded in IPv6 (::ffff:a.b.c.d mapped, ::a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) is judged by its IPv4 address. `localhost` and `*.localhost` are
 * refused by name.
 *
 * Always refused, even with `allowPrivateNetworks`: cloud instance-metadata endpoints
 * (169.254.169.254, 169.254.170.2, 100.100.100.200, fd00:ec2::254, metadata.google.internal and
 * friends). No flow has a reason to read the worker's cloud credentials.
 *
 * Names are resolved with `dns.lookup({ all: true })` and every address is checked; the same
 * check runs inside the socket's lookup (`guardedLookup`), so the connection goes to an address
 * that was checked (no DNS-rebinding window between check and connect).
 */
export interface UrlPolicy {
  allowPrivateNetworks?: boolean;
}

/** Why a URL or address was refused. Callers turn it into a non-retryable failure. */
export class BlockedUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedUrlError';
  }
}

const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata.google.internal.',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
]);
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200', 'fd00:ec2::254', 'fd00:ec2::23']);

type Range = [string, number, string];
const V4_RANGES: Range[] = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private network'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) network'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'a private network'],
  ['192.0.0.0', 24, 'a special-purpose network'],
  ['192.0.2.0', 24, 'a documentation network'],
  ['192.88.99.0', 24, 'a special-purpose network'],
  ['192.168.0.0', 16, 'a private network'],
  ['198.18.0.0', 15, 'a benchmarking network'],
  ['198.51.100.0', 24, 'a documentation network'],
  ['203.0.113.0', 24, 'a documentation network'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'a reserved network'],
];
const V6_RANGES: Range[] = [
  ['::', 128, 'an unspecified address'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'a discard network'],
  ['2001:db8::', 32, 'a documentation network'],
  ['fc00::', 7, 'a private network (unique local)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'a private network (site-local)'],
  ['ff00::', 8, 'multicast'],
];

const v4Lists = V4_RANGES.map(([net4, prefix, reason]) => {
  const list = new net.BlockList();
  list.addSubnet(net4, prefix, 'ipv4');
  return { list, reason };
});
const v6Lists = V6_RANGES.map(([net6, prefix, reason]) => {
  const list = new net.BlockList();
  list.addSubnet(net6, prefix, 'ipv6');
  return { list, reason };
});

/** The 8 hextets of an IPv6 address (with any dotted IPv4 tail), or null if it is not one. */
function hextets(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const parts = dotted[2].split('.').map(Number);
    text = `${dotted[1]}${((parts[0] << 8) | parts[1]).toString(16)}:${((parts[2] << 8) | parts[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const nums = all.map((h) => (/^[0-9a-f]{1,4}$/.test(h) ? parseInt(h, 16) : NaN));
  return nums.some(Number.isNaN) ? null : nums;
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIPv4(address: string): string | null {
  const h = hextets(address);
  if (!h) return null;
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && h[5] === 0xffff) return v4Of(h[6], h[7]); // ::ffff:a.b.c.d
  if (zeros(0, 6) && (h[6] !== 0 || h[7] > 1)) return v4Of(h[6], h[7]); // ::a.b.c.d (deprecated)
  if (h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6)) return v4Of(h[6], h[7]); // NAT64
  if (h[0] === 0x2002) return v4Of(h[1], h[2]); // 6to4
  return null;
}

/** Canonical form for comparisons: IPv6 fully expanded in lowercase hex. */
function canonical(address: string): string {
  if (net.isIPv4(address)) return address;
  const h = hextets(address);
  return h ? h.map((x) => x.toString(16)).join(':') : address.toLowerCase();
}
const METADATA_CANONICAL = new Set([...METADATA_ADDRESSES].map(canonical));

/**
 * Why this IP address may not be called, or null when it may. `metadata` reports instance-metadata
 * endpoints, which stay refused whatever the policy.
 */
export function blockedAddressReason(address: string, policy: UrlPolicy = {}): string | null {
  const family = net.isIP(address);
  if (family === 0) return 'not an IP address';
  if (METADATA_CANONICAL.has(canonical(address))) return 'a cloud metadata endpoint';
  if (family === 6) {
    const v4 = embeddedIPv4(address);
    if (v4) return blockedAddressReason(v4, policy);
  }
  if (policy.allowPrivateNetworks) return null;
  const lists = family === 4 ? v4Lists : v6Lists;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, reason } of lists) if (list.check(address, type)) return reason;
  if (family === 4 && address === '255.255.255.255') return 'broadcast';
  return null;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Checks what can be checked without DNS: scheme, metadata names, localhost, literal IPs. */
export function checkUrlSync(url: URL, policy: UrlPolicy = {}): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BlockedUrlError(`only http and https URLs may be called, not ${url.protocol}`);
  const host = hostOf(url);
  if (!host) throw new BlockedUrlError('the URL has no host');
  if (METADATA_HOSTS.has(host)) throw new BlockedUrlError(`${host} is a cloud metadata endpoint and may not be called`);
  if (!policy.allowPrivateNetworks && (host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.')) {
    throw new BlockedUrlError(`${host} is loopback and may not be called (private networks are not allowed)`);
  }
  if (net.isIP(host)) {
    const reason = blockedAddressReason(host, policy);
    if (reason) throw new BlockedUrlError(refusal(host, host, reason));
  }
}

function refusal(host: string, address: string, reason: string): string {
  const where = host === address ? address : `${host} (${address})`;
  return reason === 'a cloud metadata endpoint'
    ? `${where} is a cloud metadata endpoint and may not be called`
    : `${where} is ${reason} and may not be called (private networks are not allowed)`;
}

/** Resolves every address of a host name and refuses if any one of them is blocked. */
export async function resolveAndCheck(host: string, policy: UrlPolicy = {}): Promise<dns.LookupAddress[]> {
  const addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  for (const a of addresses) {
    const reason = blockedAddressReason(a.address, policy);
    if (reason) throw new BlockedUrlError(refusal(host, a.address, reason));
  }
  return addresses;
}

/** The full pre-flight check of a URL (scheme, names, literal addresses, every resolved address). */
export async function assertUrlAllowed(url: string | URL, policy: UrlPolicy = {}): Promise<void> {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  checkUrlSync(parsed, policy);
  const host = hostOf(parsed);
  if (!net.isIP(host)) await resolveAndCheck(host, policy);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` / `net.connect` that resolves all addresses, refuses the connection
 * if any is blocked, and otherwise hands the checked addresses to the socket.
 */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const reason = blockedAddressReason(a.address, policy);
        if (reason) return callback(new BlockedUrlError(refusal(hostname, a.address, reason)) as NodeJS.ErrnoException, '');
      }
      if (list.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (options.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}
