/** A contact as stored and shown: the one shape db/ reads and contracts/ hands to the API (both may import domain/). */
export interface ContactRecord {
  id: number;
  accountId: number;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
  avatarUrl: string | null;
  blocked: boolean;
  additionalAttributes: Record<string, unknown>;
  customAttributes: Record<string, unknown>;
  /** ISO time of the contact's latest conversation activity; null before any. */
  lastActivityAt: string | null;
  createdAt: string;
}
