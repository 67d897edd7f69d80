import ipaddr from 'ipaddr.js';

/**
 * Where a key may be used from: the browser Origins (scheme://host[:port]) and the client address
 * ranges (CIDR) it is limited to. Meant for keys that leave the tenant's servers (a player's
 * ingest-only key); an empty list is no restriction.
 */
export interface KeyRestrictions {
  allowedOrigins: readonly string[];
  allowedIpRanges: readonly string[];
}

/** At most this many origins and this many ranges per key. */
export const KEY_RESTRICTIONS_MAX = 50;

/**
 * An Origin as browsers send it: lower-case scheme and host, the port only when not the default,
 * no path. Returns null for anything else (a path, credentials, a query, `null`).
 */
export function normalizeOrigin(value: string): string | null {
  if (!/^https?:\/\/[^/?#@\s]+$/i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/** A CIDR range written canonically (`10.0.0.0/8`, `2001:db8::/32`), or null when it is not one. */
export function normalizeCidr(value: string): string | null {
  try {
    const [address, bits] = ipaddr.parseCIDR(value.trim());
    // The network address itself, so 10.1.2.3/8 and 10.0.0.0/8 are stored alike.
    const network =
      address.kind() === 'ipv4'
        ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
        : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
    return `${network.toString()}/${bits}`;
  } catch {
    return null;
  }
}

/** Whether the Origin header is one the key allows (always, for a key without origins). */
export function originAllowed(r: KeyRestrictions, origin: string | undefined): boolean {
  if (r.allowedOrigins.length === 0) return true;
  const normalized = origin === undefined ? null : normalizeOrigin(origin);
  return normalized !== null && r.allowedOrigins.includes(normalized);
}

/**
 * Whether the client address is in one of the key's ranges (always, for a key without ranges). An
 * IPv4-mapped IPv6 address (::ffff:10.0.0.1, what a dual-stack socket reports) is its IPv4 address.
 */
export function addressAllowed(r: KeyRestrictions, ip: string): boolean {
  if (r.allowedIpRanges.length === 0) return true;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return false;
  }
  return r.allowedIpRanges.some((range) => {
    const cidr = ipaddr.parseCIDR(range);
    return cidr[0].kind() === address.kind() && address.match(cidr);
  });
}
