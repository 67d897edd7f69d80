import fc from 'fast-check';

/** IPv4 addresses no webhook may reach: loopback, private, link-local (cloud metadata), and the like. */
export const notPublicIpv4: fc.Arbitrary<[number, number, number, number]> = fc.oneof(
  fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
  fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255)),
);

const hex = (n: number) => n.toString(16);
/** An IPv4 address as the two last 16-bit groups of an IPv6 address. */
const groups = ([a, b, c, d]: number[]) => [hex((a! << 8) | b!), hex((c! << 8) | d!)];
const dotted = (v4: number[]) => v4.join('.');

/**
 * Every way IPv6 carries an IPv4 address, each written in the spellings a URL may use (hex groups,
 * a dotted tail, zeros written out or compressed): [the form's name, the IPv6 address].
 */
export function embeddedIpv4Forms(v4: number[]): fc.Arbitrary<[string, string]> {
  const [hi, lo] = groups(v4);
  const tail = fc.constantFrom(`${hi}:${lo}`, dotted(v4));
  const teredoClient = groups(v4.map((o) => o ^ 0xff));
  return fc.oneof(
    tail.map((t) => ['IPv4-mapped', `::ffff:${t}`] as [string, string]),
    tail.map((t) => ['IPv4-mapped', `0:0:0:0:0:ffff:${t}`] as [string, string]),
    tail.map((t) => ['IPv4-compatible', `::${t}`] as [string, string]),
    tail.map((t) => ['SIIT', `::ffff:0:${t}`] as [string, string]),
    tail.map((t) => ['NAT64', `64:ff9b::${t}`] as [string, string]),
    tail.map((t) => ['NAT64', `0064:ff9b:0000:0000:0000:0000:${t}`] as [string, string]),
    // Local-use NAT64 (RFC 8215) with the address at its /96 tail or after a /48 prefix (RFC 6052).
    tail.map((t) => ['local-use NAT64', `64:ff9b:1::${t}`] as [string, string]),
    fc
      .nat(0xffff)
      .map(
        (subnet) =>
          ['local-use NAT64 /48', `64:ff9b:1:${hi}:${hex(v4[2]!)}:${hex(v4[3]! << 8)}::${hex(subnet)}`] as [
            string,
            string,
          ],
      ),
    fc.nat(0xffff).map((site) => ['6to4', `2002:${hi}:${lo}:${hex(site)}::1`] as [string, string]),
    fc
      .tuple(fc.nat(0xffff), fc.nat(0xffff))
      .map(
        ([flags, port]) =>
          ['Teredo', `2001:0:4136:e378:${hex(flags)}:${hex(port)}:${teredoClient.join(':')}`] as [
            string,
            string,
          ],
      ),
  );
}
