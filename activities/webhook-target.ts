import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
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

/**
 * Every refusal of an address says this and nothing more: naming what a host resolves to (or that it does
 * not resolve) would let a tenant map the installation's internal DNS one webhook at a time.
 */
export const notAllowed = 'is not an allowed address';

export class UnsafeTargetError extends Error {
  override name = 'UnsafeTargetError';
}

/**
 * What can be told without DNS: a URL, http(s), no credentials, and, when the
 * host is an IP literal, an allowed address. `new URL` (which http.request
 * uses too) has already turned decimal, hex and octal IPv4 forms into dotted
 * quads, and `isIP` is the test node uses to skip its lookup.
 */
export function literalTargetProblem(
  url: string,
  allowedRanges: readonly string[],
): { problem?: string; host?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { problem: 'must be http or https' };
  if (parsed.username || parsed.password) return { problem: 'must not carry credentials' };
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !addressAllowed(host, allowedRanges)) return { problem: notAllowed };
  return { host };
}

/** Why this URL may not be a webhook target, or undefined when it may. */
export async function targetProblem(url: string, allowedRanges: readonly string[]): Promise<string | undefined> {
  const { problem, host } = literalTargetProblem(url, allowedRanges);
  if (problem !== undefined || isIP(host!)) return problem;
  try {
    const addresses = await dns.lookup(host!, { all: true });
    return addresses.every((a) => addressAllowed(a.address, allowedRanges)) ? undefined : notAllowed;
  } catch {
    return notAllowed; // "does not resolve" would tell an internal name from a missing one
  }
}

/**
 * A `lookup` for http.request that refuses disallowed addresses at connect
 * time. Node does not call it for an IP literal: see `literalTargetProblem`.
 */
export function guardedLookup(allowedRanges: readonly string[]) {
  return (
    hostname: string,
    options: object,
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      // A failed lookup may pass on a later attempt (retried), but says no more than a refusal does.
      if (err) return callback(new Error(`${hostname} ${notAllowed}`), []);
      if (!addresses.every((a) => addressAllowed(a.address, allowedRanges)))
        return callback(new UnsafeTargetError(`${hostname} ${notAllowed}`), []);
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
