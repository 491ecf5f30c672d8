import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';

/**
 * The address a request's budget is counted by. The socket's peer, unless that peer is one of the
 * `trustedProxies` (CIDRs, or single addresses): then the right-most hop of `X-Forwarded-For` that is
 * not itself a trusted proxy, since every hop left of it may be written by the client. An IPv6 client
 * counts as its /64, the block one subscriber gets, so rotating through it buys no new budget.
 */
export function clientAddressOf(trustedProxies: readonly string[] = []): (c: Context) => string | undefined {
  const trusted = trustedProxies.map(parseRange);
  const isTrusted = (address: Address) =>
    trusted.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));

  return function clientAddress(c) {
    const peer = parsed(socketPeer(c));
    if (!peer) return undefined;
    if (!isTrusted(peer)) return bucket(peer);
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => h.trim());
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parsed(hops[i]!);
      // A hop that is no address was not written by a proxy we trust: count the proxy itself.
      if (!hop) return bucket(peer);
      if (!isTrusted(hop)) return bucket(hop);
    }
    return bucket(peer);
  };
}

function socketPeer(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // app.request() in tests: no socket
  }
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as the IPv4 it is. */
function parsed(text: string | undefined): Address | undefined {
  return text && ipaddr.isValid(text) ? ipaddr.process(text) : undefined;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

function bucket(address: Address): string {
  if (address.kind() === 'ipv4') return address.toString();
  const [a = 0, b = 0, c = 0, d = 0] = (address as ipaddr.IPv6).parts;
  return `${new ipaddr.IPv6([a, b, c, d, 0, 0, 0, 0]).toString()}/64`;
}

/** A CIDR, or one address as the range of itself. */
function parseRange(text: string): [Address, number] {
  if (text.includes('/')) return ipaddr.parseCIDR(text);
  const address = ipaddr.process(text);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}
