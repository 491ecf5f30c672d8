import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';

/**
 * SSRF guard. A webhook may reach public unicast addresses, and the ranges an
 * operator allows (`loopback` for the local stack and tests). Checked when a
 * subscription is saved, and again on the address each delivery connects to,
 * so a DNS answer that changes later cannot point a delivery inward.
 */
export function addressAllowed(address: string, allowedRanges: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.process(address).range();
  return range === 'unicast' || allowedRanges.includes(range);
}

export class UnsafeTargetError extends Error {
  override name = 'UnsafeTargetError';
}

/** Why this URL may not be a webhook target, or undefined when it may. */
export async function targetProblem(url: string, allowedRanges: readonly string[]): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be http or https';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `host ${host} does not resolve`;
  }
  const refused = addresses.find((a) => !addressAllowed(a, allowedRanges));
  return refused ? `resolves to ${refused}, a ${ipaddr.process(refused).range()} address that webhooks may not reach` : undefined;
}

/** A `lookup` for http.request that refuses disallowed addresses at connect time. */
export function guardedLookup(allowedRanges: readonly string[]) {
  return (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, []);
      const refused = addresses.find((a) => !addressAllowed(a.address, allowedRanges));
      if (refused) return callback(new UnsafeTargetError(`${hostname} resolves to ${refused.address}, which webhooks may not reach`), []);
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
