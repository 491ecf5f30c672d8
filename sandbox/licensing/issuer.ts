import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { LICENCE_TYP, type Plan } from '../../config/licence.ts';

export interface IssueOptions {
  aud: string;
  plan: Plan;
  seats: number;
  /** Seconds from now; negative for an already expired key. */
  expiresIn: number;
  notBeforeIn?: number;
  grace?: number;
  hb?: number;
  features?: string[];
  sub?: string;
}

/** The `iss` of every sandbox licence: an installation trusting the sandbox sets LICENCE_ISSUER to it. */
export const SANDBOX_ISSUER = 'capstan-sandbox-licensing';

/** The sandbox vendor: an Ed25519 key pair that signs licences like the real vendor's. */
export class LicenceIssuer {
  readonly issuer = SANDBOX_ISSUER;

  private constructor(
    readonly kid: string,
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK & { kid: string },
  ) {}

  static async create(kid = 'sandbox-1'): Promise<LicenceIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    return new LicenceIssuer(kid, privateKey, { ...(await exportJWK(publicKey)), kid });
  }

  /** The same vendor again, from `privateJwk()` (the local stack keeps it across restarts). */
  static async restore(jwk: JWK & { kid: string }): Promise<LicenceIssuer> {
    const privateKey = (await importJWK(jwk, 'EdDSA', { extractable: true })) as CryptoKey;
    const { d: _d, ...publicJwk } = jwk;
    return new LicenceIssuer(jwk.kid, privateKey, publicJwk as JWK & { kid: string });
  }

  async privateJwk(): Promise<JWK & { kid: string }> {
    return { ...(await exportJWK(this.privateKey)), kid: this.kid };
  }

  /** The pinned-keys setting (LICENCE_PUBLIC_KEYS) an installation needs to trust this issuer, with LICENCE_ISSUER. */
  pinned() {
    return [{ kid: this.kid, kty: 'OKP' as const, crv: 'Ed25519' as const, x: this.publicJwk.x! }];
  }

  issue(o: IssueOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      plan: o.plan,
      seats: o.seats,
      features: o.features ?? [],
      grace: o.grace ?? 7 * 86_400,
      ...(o.hb ? { hb: o.hb } : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: LICENCE_TYP })
      .setIssuer(this.issuer)
      .setAudience(o.aud)
      .setSubject(o.sub ?? `customer-${randomUUID().slice(0, 8)}`)
      .setIssuedAt(now)
      .setExpirationTime(now + o.expiresIn)
      .setJti(randomUUID());
    if (o.notBeforeIn !== undefined) jwt.setNotBefore(now + o.notBeforeIn);
    return jwt.sign(this.privateKey);
  }
}
