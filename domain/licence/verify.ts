import { decodeProtectedHeader, errors, importJWK, jwtVerify } from 'jose';
import { z } from 'zod';
import { LICENCE_TYP, plans, type PinnedKey } from '../../config/licence.ts';

/** Why a licence key is refused, in the spirit of Keygen's validation codes. */
export type LicenceRefusal =
  | 'MALFORMED'
  | 'ALGORITHM_NOT_ALLOWED'
  | 'WRONG_TYPE'
  | 'UNKNOWN_KEY'
  | 'SIGNATURE_INVALID'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'WRONG_ISSUER'
  | 'WRONG_INSTALLATION'
  | 'CLAIMS_INVALID';

export const licenceClaims = z.object({
  iss: z.string().min(1),
  aud: z.string().min(1),
  sub: z.string().min(1),
  plan: z.enum(plans),
  seats: z.number().int().min(0),
  features: z.array(z.string()).default([]),
  iat: z.number().int(),
  nbf: z.number().int().optional(),
  exp: z.number().int(),
  /** Seconds of grace after expiry or after the server stops confirming (default 7 days). */
  grace: z
    .number()
    .int()
    .min(0)
    .default(7 * 86_400),
  /** Heartbeat interval in seconds. */
  hb: z.number().int().min(1).optional(),
});
export type LicenceClaims = z.infer<typeof licenceClaims>;

export type Verified =
  { ok: true; claims: LicenceClaims; kid: string } | { ok: false; code: LicenceRefusal; message: string };

export const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies a licence offline: a compact JWS typed `licence+jwt`, signed with
 * EdDSA by one of the pinned keys, from the configured issuer, for this
 * installation, valid now (60 s of clock skew allowed). Only EdDSA is
 * accepted, so `alg: none` and an HS256 token "signed" with the public key are
 * refused before any key is used; the type keeps any other JWT the vendor
 * signs from passing for a licence.
 */
export async function verifyLicence(
  key: string,
  options: { publicKeys: PinnedKey[]; issuer: string; installationId: string; now?: Date },
): Promise<Verified> {
  let header;
  try {
    header = decodeProtectedHeader(key.trim());
  } catch {
    return { ok: false, code: 'MALFORMED', message: 'not a compact JWS' };
  }
  if (header.alg !== 'EdDSA')
    return {
      ok: false,
      code: 'ALGORITHM_NOT_ALLOWED',
      message: `alg ${String(header.alg)} is not accepted; licences are signed with EdDSA`,
    };
  // Compared as RFC 7515 says: case-insensitively, `application/` optional.
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase().replace(/^application\//, '') : undefined;
  if (typ !== LICENCE_TYP)
    return {
      ok: false,
      code: 'WRONG_TYPE',
      message: `typ ${String(header.typ)} is not accepted; a licence is typed ${LICENCE_TYP}`,
    };
  const pinned = options.publicKeys.find((k) => k.kid === header.kid);
  if (!pinned) return { ok: false, code: 'UNKNOWN_KEY', message: `kid ${String(header.kid)} is not a pinned key` };
  try {
    const publicKey = await importJWK(pinned, 'EdDSA');
    const { payload } = await jwtVerify(key.trim(), publicKey, {
      algorithms: ['EdDSA'],
      audience: options.installationId,
      issuer: options.issuer,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: options.now,
      requiredClaims: ['exp', 'iat', 'sub', 'aud', 'iss'],
    });
    const claims = licenceClaims.safeParse(payload);
    if (!claims.success)
      return {
        ok: false,
        code: 'CLAIMS_INVALID',
        message: claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      };
    return { ok: true, claims: claims.data, kid: pinned.kid };
  } catch (err) {
    return { ok: false, ...refusalOf(err) };
  }
}

function refusalOf(err: unknown): { code: LicenceRefusal; message: string } {
  if (err instanceof errors.JWTExpired) return { code: 'EXPIRED', message: 'the licence has expired' };
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || err.claim === 'iat')
      return { code: 'NOT_YET_VALID', message: 'the licence is not valid yet' };
    if (err.claim === 'aud')
      return { code: 'WRONG_INSTALLATION', message: 'the licence was issued for another installation' };
    if (err.claim === 'iss')
      return { code: 'WRONG_ISSUER', message: 'the licence was not issued by the configured licensing vendor' };
    return { code: 'CLAIMS_INVALID', message: err.message };
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return { code: 'SIGNATURE_INVALID', message: 'the signature does not match the pinned key' };
  return { code: 'MALFORMED', message: (err as Error).message };
}
