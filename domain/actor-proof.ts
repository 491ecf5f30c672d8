import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Who acts, as workflow inputs and audit rows carry it; `proof` binds it to one whole command. */
export interface SignedActor {
  type: string;
  id: string;
  proof?: string;
}

/** What a proof is worth something for: one workflow type, under one id, with one input. */
export interface Command {
  type: string;
  workflowId: string;
  /** The workflow's first argument, as started (its `actor.proof` is left out of the hash). */
  input: unknown;
}

/**
 * How long a command proof may wait for the run that presents it. Spent nonces are kept as long, then
 * pruned (db/proof-nonces.ts): a proof past its age is refused whatever the table holds.
 */
export const PROOF_TTL_MS = 24 * 3_600_000;

/**
 * The input as JSON with its keys sorted at every depth, after the JSON round trip Temporal's payload
 * converter gives it (undefined dropped, dates as strings), and without `actor.proof`: the API's
 * signer and the worker's check hash the same bytes however either side ordered the keys.
 */
export function canonicalInput(input: unknown): string {
  const plain: unknown = JSON.parse(JSON.stringify(input ?? null));
  return JSON.stringify(sorted(withoutProof(plain)));
}

export function inputHash(input: unknown): string {
  return createHash('sha256').update(canonicalInput(input)).digest('base64url');
}

function withoutProof(value: unknown): unknown {
  if (!isObject(value) || !isObject(value.actor)) return value;
  const { proof: _proof, ...actor } = value.actor;
  return { ...value, actor };
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted(value[k])]),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const mac = (secret: Uint8Array, ...fields: string[]): Buffer =>
  createHmac('sha256', secret)
    .update(['capstan-proof-v2', ...fields].join('\n'))
    .digest();

const commandMac = (secret: Uint8Array, c: Command, issuedAt: string, nonce: string) =>
  mac(secret, 'command', c.type, c.workflowId, inputHash(c.input), issuedAt, nonce);

/** A schedule's runs share one input, so its proof names the schedule, not a run (see scheduledRunOf). */
const scheduleMac = (secret: Uint8Array, type: string, scheduleId: string, input: unknown) =>
  mac(secret, 'schedule', type, scheduleId, inputHash(input));

/** `c1.<issued at, s, base 36>.<nonce>.<mac>`: for one run of this command, spent by the first run that shows it. */
export function signCommand(secret: Uint8Array, command: Command, now = Date.now()): string {
  const issuedAt = Math.floor(now / 1000).toString(36);
  const nonce = randomBytes(16).toString('base64url');
  return `c1.${issuedAt}.${nonce}.${commandMac(secret, command, issuedAt, nonce).toString('base64url')}`;
}

function isActor(value: unknown): value is SignedActor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SignedActor).type === 'string' &&
    typeof (value as SignedActor).id === 'string'
  );
}

/**
 * The arguments with the first one's `actor` signed for this whole command: type, id, input and a fresh
 * nonce. Arguments without an actor come back as they are.
 */
export function signedArgs(secret: Uint8Array, type: string, workflowId: string, args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  const actor = (first as { actor?: unknown } | undefined)?.actor;
  if (!isActor(actor)) return [...args];
  const { proof: _old, ...bare } = actor;
  const input = { ...(first as object), actor: bare };
  const proof = signCommand(secret, { type, workflowId, input });
  return [{ ...input, actor: { ...bare, proof } }, ...rest];
}

/** The arguments with the actor's proof taken out: what a dead letter keeps, since its retry signs again. */
export function unsignedArgs(args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  const actor = (first as { actor?: unknown } | undefined)?.actor;
  if (!isActor(actor)) return [...args];
  const { proof: _spent, ...bare } = actor;
  return [{ ...(first as object), actor: bare }, ...rest];
}

/** `s1.<mac>`: for every run the schedule `scheduleId` starts with this type and input. */
export function signSchedule(secret: Uint8Array, scheduleId: string, type: string, input: unknown): string {
  return `s1.${scheduleMac(secret, type, scheduleId, input).toString('base64url')}`;
}

/**
 * A scheduled run's id is the schedule action's workflow id (by default `<schedule id>-workflow`) and
 * `-<nominal time, RFC 3339, UTC>`, which the server appends to every run it starts.
 */
export function scheduledRunOf(workflowId: string): string | undefined {
  const at = workflowId.slice(-21);
  if (!/^-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(at)) return undefined;
  const base = workflowId.slice(0, -21);
  return base.endsWith('-workflow') ? base.slice(0, -'-workflow'.length) : undefined;
}

export type Verdict =
  | { outcome: 'command'; nonce: string; expiresAt: Date }
  | { outcome: 'schedule'; scheduleId: string }
  | { outcome: 'refused'; reason: string };

/** What the proof of `command`'s actor is worth; nothing at all unless the whole command is the one signed. */
export function verifyProof(secret: Uint8Array, command: Command, now = Date.now()): Verdict {
  const actor = isObject(command.input) && isObject(command.input.actor) ? command.input.actor : undefined;
  const proof = typeof actor?.proof === 'string' ? actor.proof : '';
  const [version, ...parts] = proof.split('.');
  if (version === 'c1' && parts.length === 3) {
    const [issuedAt, nonce, given] = parts as [string, string, string];
    if (!same(given, commandMac(secret, command, issuedAt, nonce)))
      return { outcome: 'refused', reason: 'its proof was not made for this type, id and input' };
    const expiresAt = new Date(parseInt(issuedAt, 36) * 1000 + PROOF_TTL_MS);
    if (!(expiresAt.getTime() > now)) return { outcome: 'refused', reason: 'its proof is too old' };
    return { outcome: 'command', nonce, expiresAt };
  }
  const scheduleId = scheduledRunOf(command.workflowId);
  if (version === 's1' && parts.length === 1 && scheduleId) {
    if (same(parts[0]!, scheduleMac(secret, command.type, scheduleId, command.input)))
      return { outcome: 'schedule', scheduleId };
  }
  return { outcome: 'refused', reason: proof ? 'its proof is not valid here' : 'it carries no proof' };
}

function same(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given, 'base64url');
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}
