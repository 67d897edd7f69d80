import { BlockList, isIP } from 'node:net';
import { ValidationError } from './errors.js';

/**
 * Where webhooks may send to. A webhook makes this service send requests to a URL a tenant chose,
 * so without a policy it is a way into the network it runs in (SSRF): cloud metadata services,
 * databases, admin ports. Unless private targets are allowed (WEBHOOK_ALLOW_PRIVATE, for local
 * development and tests), only public addresses are.
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Addresses that are not on the public internet: private, loopback, link-local, shared, reserved. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address of any kind
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return null;
  const [hi, lo] = [groups[6]!, groups[7]!];
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (with an optional dotted IPv4 tail). */
function expandIpv6(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const octets = v4[2]!.split('.').map(Number);
    text = `${v4[1]}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const groups =
    tail === undefined
      ? front
      : [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/** Whether an IP address is on the public internet; false for anything that is not an IP address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4) return isPublicAddress(v4);
  return !NOT_PUBLIC.check(address, 'ipv6');
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
