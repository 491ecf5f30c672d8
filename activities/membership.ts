import type { LicenceSettings } from '../config/licence.ts';
import type { LicenceState } from '../db/licence-state.ts';
import { seatsUsed } from '../db/licence.ts';
import type { TransactionSql } from '../db/pool.ts';
import { refuse } from './failures.ts';

const SEAT_LOCK = 0x5345415453; // "SEATS"

/**
 * A user who holds no seat yet takes one. With a licence in force, going past
 * its seats is refused (402) unless overage is allowed, which the heartbeat reports.
 */
export async function takeSeat(
  tx: TransactionSql,
  state: LicenceState,
  licence: LicenceSettings,
  userId: number,
): Promise<void> {
  if (!state.claims || (state.status !== 'VALID' && state.status !== 'GRACE') || licence.allowSeatOverage) return;
  const [seated] = await tx`select 1 from account_users where user_id = ${userId} limit 1`;
  if (seated) return;
  await tx`select pg_advisory_xact_lock(${SEAT_LOCK})`; // seats are counted and taken one at a time
  if ((await seatsUsed(tx)) >= state.claims.seats) {
    refuse(
      'PaymentRequired',
      `All ${state.claims.seats} seats of the licence are taken; add seats to the licence or remove a member.`,
    );
  }
}
