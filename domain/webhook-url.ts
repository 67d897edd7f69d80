import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ValidationError } from './errors.js';

/**
 * Where webhooks may send to. A webhook makes this service send requests to a URL a tenant chose,
 * so without a policy it is a way into the network it runs in (SSRF): cloud metadata services,
 * databases, admin ports. Unless private targets are allowed (WEBHOOK_ALLOW_PRIVATE, for local
 * development and tests), only public addresses are.
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * IPv6 ranges that carry an IPv4 address in their last 32 bits, and are judged by it: IPv4-mapped
 * (::ffff:0:0/96), SIIT (::ffff:0:0:0/96) and the well-known NAT64 prefix (64:ff9b::/96).
 */
const CARRY_IPV4 = ['ipv4Mapped', 'rfc6145'];
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
/** IPv4-compatible addresses (::a.b.c.d, deprecated): ipaddr.js calls them unicast. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/**
 * Whether an IP address is on the public internet; false for anything that is not an IP address.
 * The ranges are ipaddr.js's: IPv4 must be plain `unicast` (not private, loopback, link-local,
 * carrier-grade NAT, reserved, multicast...), IPv6 global `unicast`. An IPv6 address that carries an
 * IPv4 address is judged by that address. Every other IPv6 form with an IPv4 address inside is
 * refused whole, whatever it embeds: IPv4-compatible, local-use NAT64 (64:ff9b:1::/48), 6to4
 * (2002::/16) and Teredo (2001::/32).
 */
export function isPublicAddress(address: string): boolean {
  if (!isIP(address)) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  const v6 = ip as ipaddr.IPv6;
  if (CARRY_IPV4.includes(v6.range()) || v6.match(NAT64_WELL_KNOWN)) {
    const [hi, lo] = v6.parts.slice(6) as [number, number];
    return isPublicAddress([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.'));
  }
  return v6.range() === 'unicast' && !v6.match(IPV4_COMPATIBLE);
}

/** Host names that name this machine or its private network, whatever DNS says. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/;

/** The host of a URL as a bare name or address: no IPv6 brackets, no trailing dot, lower case. */
export function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/**
 * Parses and checks a webhook URL; throws a ValidationError naming the problem. Addresses written
 * in the URL are checked here; names are checked again when a delivery connects, against every
 * address they resolve to (a name can resolve to anything, and change).
 */
export function checkWebhookUrl(raw: string, policy: { allowPrivate: boolean }): URL {
  const invalid = (message: string) =>
    new ValidationError(`body.url: ${message}`, { errors: [{ location: 'body', field: 'url', message }] });
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw invalid(`at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('must be http or https');
  if (url.username || url.password) {
    throw invalid('must not carry credentials; put a token in the path or query, or verify the signature');
  }
  if (url.hash) throw invalid('must not have a fragment');
  const host = hostOf(url);
  if (!host) throw invalid('must name a host');
  if (policy.allowPrivate) return url;
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw invalid(`${host} is a private, loopback or reserved address`);
  } else if (!host.includes('.') || LOCAL_NAME.test(host)) {
    throw invalid(`${host} names a local or private host`);
  }
  return url;
}
