import { SignJWT, base64url, importJWK, type JWTHeaderParameters } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { allowedFeatures, licenceStatus, type LicenceFacts } from '../../domain/licence/status.ts';
import { verifyLicence } from '../../domain/licence/verify.ts';
import { LicenceIssuer } from '../../sandbox/licensing/issuer.ts';

let vendor: LicenceIssuer;
let stranger: LicenceIssuer;
const aud = 'inst-123';

beforeAll(async () => {
  vendor = await LicenceIssuer.create('vendor-1');
  stranger = await LicenceIssuer.create('vendor-1'); // same kid, another key: a forgery
});

const verify = (key: string, now?: Date) =>
  verifyLicence(key, { publicKeys: vendor.pinned(), issuer: vendor.issuer, installationId: aud, now });

/** A key the vendor's own private key signed, with the header and issuer given: only those differ from a good licence. */
async function signedByVendor(header: Partial<JWTHeaderParameters>, iss: string | undefined) {
  const jwt = new SignJWT({ plan: 'business', seats: 5 })
    .setProtectedHeader({ alg: 'EdDSA', kid: vendor.kid, ...header })
    .setAudience(aud)
    .setSubject('customer-1')
    .setIssuedAt()
    .setExpirationTime('1h');
  if (iss !== undefined) jwt.setIssuer(iss);
  return jwt.sign(await importJWK(await vendor.privateJwk(), 'EdDSA'));
}

describe('verifyLicence', () => {
  it('accepts a key the vendor signed for this installation', async () => {
    const result = await verify(await vendor.issue({ aud, plan: 'business', seats: 10, expiresIn: 3600 }));
    expect(result).toMatchObject({ ok: true, claims: { plan: 'business', seats: 10, aud } });
  });

  it('refuses every forged or unusable key with its own code', async () => {
    const good = await vendor.issue({ aud, plan: 'enterprise', seats: 5, expiresIn: 3600 });
    const [h, p] = good.split('.');
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', kid: 'vendor-1' }))}.${p}.`;
    const hs256 = await new SignJWT({ plan: 'enterprise', seats: 5 })
      .setProtectedHeader({ alg: 'HS256', kid: 'vendor-1' })
      .setAudience(aud)
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('1h')
      .setIssuer('x')
      .sign(new TextEncoder().encode(vendor.pinned()[0]!.x)); // the public key used as an HMAC secret
    const otherKid = await (
      await LicenceIssuer.create('vendor-9')
    ).issue({ aud, plan: 'enterprise', seats: 5, expiresIn: 3600 });
    const tampered = `${h}.${base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(p!))), seats: 5000 }))}.${good.split('.')[2]}`;

    const cases: Array<[string, string]> = [
      [await stranger.issue({ aud, plan: 'enterprise', seats: 5, expiresIn: 3600 }), 'SIGNATURE_INVALID'],
      [tampered, 'SIGNATURE_INVALID'],
      [otherKid, 'UNKNOWN_KEY'],
      [unsigned, 'ALGORITHM_NOT_ALLOWED'],
      [hs256, 'ALGORITHM_NOT_ALLOWED'],
      [await vendor.issue({ aud, plan: 'enterprise', seats: 5, expiresIn: -120 }), 'EXPIRED'],
      [await vendor.issue({ aud, plan: 'enterprise', seats: 5, expiresIn: 3600, notBeforeIn: 600 }), 'NOT_YET_VALID'],
      [await vendor.issue({ aud: 'inst-other', plan: 'enterprise', seats: 5, expiresIn: 3600 }), 'WRONG_INSTALLATION'],
      ['not-a-jwt', 'MALFORMED'],
      ['a.b.c', 'MALFORMED'],
    ];
    for (const [key, code] of cases) expect(await verify(key), code).toMatchObject({ ok: false, code });
  });

  it('refuses a key from another issuer, or naming none, with WRONG_ISSUER', async () => {
    expect(await signedByVendor({ typ: 'licence+jwt' }, vendor.issuer).then(verify)).toMatchObject({ ok: true });
    for (const iss of ['https://evil.example', 'capstan-sandbox-licensing-2', '', undefined]) {
      expect(await signedByVendor({ typ: 'licence+jwt' }, iss).then(verify), String(iss)).toMatchObject({
        ok: false,
        code: 'WRONG_ISSUER',
      });
    }
    const elsewhere = await verifyLicence(await vendor.issue({ aud, plan: 'business', seats: 5, expiresIn: 3600 }), {
      publicKeys: vendor.pinned(),
      issuer: 'https://licensing.capstan.example',
      installationId: aud,
    });
    expect(elsewhere).toMatchObject({
      ok: false,
      code: 'WRONG_ISSUER',
      message: 'the licence was not issued by the configured licensing vendor',
    });
  });

  it('refuses a key whose typ is not licence+jwt with WRONG_TYPE, whatever it says otherwise', async () => {
    for (const typ of ['JWT', 'at+jwt', 'licence+jws', undefined]) {
      const result = await signedByVendor(typ === undefined ? {} : { typ }, vendor.issuer).then(verify);
      expect(result, String(typ)).toMatchObject({
        ok: false,
        code: 'WRONG_TYPE',
        message: expect.stringContaining('licence+jwt'),
      });
    }
    // RFC 7515: compared case-insensitively, with the `application/` prefix optional.
    for (const typ of ['LICENCE+JWT', 'application/licence+jwt']) {
      expect(await signedByVendor({ typ }, vendor.issuer).then(verify), typ).toMatchObject({ ok: true });
    }
  });

  it('allows 60 s of clock skew on both ends', async () => {
    expect(await verify(await vendor.issue({ aud, plan: 'startups', seats: 1, expiresIn: -30 }))).toMatchObject({
      ok: true,
    });
    expect(
      await verify(await vendor.issue({ aud, plan: 'startups', seats: 1, expiresIn: 3600, notBeforeIn: 30 })),
    ).toMatchObject({ ok: true });
  });
});

describe('licenceStatus', () => {
  const hour = 3_600_000;
  const now = Date.UTC(2026, 10, 27, 12);
  const sec = (ms: number) => Math.floor(ms / 1000);
  const claims = (o: Partial<NonNullable<LicenceFacts['claims']>> = {}) => ({
    exp: sec(now + 30 * 24 * hour),
    grace: 7 * 24 * 3600,
    hb: 3600,
    plan: 'business' as const,
    features: [],
    ...o,
  });

  const table: Array<[string, LicenceFacts, string]> = [
    ['no key', { defaultHeartbeatMs: hour }, 'COMMUNITY'],
    ['confirmed an hour ago', { claims: claims(), lastConfirmedAt: now - hour, defaultHeartbeatMs: hour }, 'VALID'],
    ['installed just now, never confirmed', { claims: claims(), installedAt: now, defaultHeartbeatMs: hour }, 'VALID'],
    [
      'exactly two intervals unconfirmed',
      { claims: claims(), lastConfirmedAt: now - 2 * hour, defaultHeartbeatMs: hour },
      'VALID',
    ],
    [
      'just over two intervals unconfirmed',
      { claims: claims(), lastConfirmedAt: now - 2 * hour - 1000, defaultHeartbeatMs: hour },
      'GRACE',
    ],
    [
      'unconfirmed past the grace too',
      { claims: claims(), lastConfirmedAt: now - 2 * hour - 7 * 24 * hour, defaultHeartbeatMs: hour },
      'EXPIRED',
    ],
    [
      'expired a day ago, inside a 7-day grace',
      { claims: claims({ exp: sec(now - 24 * hour) }), lastConfirmedAt: now, defaultHeartbeatMs: hour },
      'GRACE',
    ],
    [
      'expired 8 days ago',
      { claims: claims({ exp: sec(now - 8 * 24 * hour) }), lastConfirmedAt: now, defaultHeartbeatMs: hour },
      'EXPIRED',
    ],
    [
      'expired with no grace',
      { claims: claims({ exp: sec(now - 1000), grace: 0 }), lastConfirmedAt: now, defaultHeartbeatMs: hour },
      'EXPIRED',
    ],
    [
      'revoked by the server',
      { claims: claims(), lastConfirmedAt: now, revoked: true, defaultHeartbeatMs: hour },
      'REVOKED',
    ],
    [
      'no hb claim: the configured interval',
      { claims: claims({ hb: undefined }), lastConfirmedAt: now - 3 * 60_000, defaultHeartbeatMs: 60_000 },
      'GRACE',
    ],
  ];
  it.each(table)('%s → %s', (_, facts, expected) => {
    expect(licenceStatus(facts, now)).toBe(expected);
  });

  it("unlocks the plan's features (and the licence's extras) only while VALID or GRACE", () => {
    expect(allowedFeatures('VALID', { plan: 'business', features: ['custom_roles', 'not_a_feature'] })).toEqual([
      'audit_logs',
      'custom_roles',
      'disable_branding',
      'sla',
    ]);
    expect(allowedFeatures('GRACE', { plan: 'startups', features: [] })).toEqual(['disable_branding']);
    expect(allowedFeatures('EXPIRED', { plan: 'enterprise', features: [] })).toEqual([]);
    expect(allowedFeatures('REVOKED', { plan: 'enterprise', features: [] })).toEqual([]);
    expect(allowedFeatures('COMMUNITY')).toEqual([]);
  });
});
