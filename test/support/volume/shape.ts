/**
 * The data-volume benchmark's sizes. S is the floor; every count scales with the factor, and so do the
 * largest account and the longest conversation (each a fixed share of its table), so at 10×S they are 10× larger too.
 */
export interface Shape {
  accounts: number;
  conversations: number;
  messages: number;
  deliveries: number;
  deadLetters: number;
  audit: number;
}

export const sizeS: Shape = {
  accounts: 1_000,
  conversations: 20_000,
  messages: 200_000,
  deliveries: 50_000,
  deadLetters: 20_000,
  audit: 200_000,
};

export function scaled(factor: number, base: Shape = sizeS): Shape {
  const n = (x: number) => Math.max(20, Math.round(x * factor));
  return {
    accounts: n(base.accounts),
    conversations: n(base.conversations),
    messages: n(base.messages),
    deliveries: n(base.deliveries),
    deadLetters: n(base.deadLetters),
    audit: n(base.audit),
  };
}

/**
 * The database the plan test fills: S at a quarter, but for the accounts and dead letters (cheap to fill) — below a
 * few thousand rows reading a table whole is cheaper than an index, and the planner rightly takes it.
 */
export const planShape: Shape = { ...scaled(0.25), accounts: sizeS.accounts, deadLetters: sizeS.deadLetters };

/**
 * A table at least this large is never read whole in the plan test; a smaller one (users, inboxes, the accounts
 * table of S itself) the planner may rightly scan. Twice S's accounts, so it moves with the fill.
 */
export const largeTableRows = 2 * sizeS.accounts;

/**
 * The skew, as shares: the largest account holds a quarter of the conversations, audit rows and deliveries (its
 * webhook), nine more the next quarter, every other account the rest; the longest conversation (the largest
 * account's first) holds a tenth of the messages; one account in ten has a webhook.
 */
export const skew = { largest: 0.25, next: 0.25, nextAccounts: 9, longestConversation: 0.1, webhookEvery: 10 };

/** How deep the deep cursors go into their lists. */
export const DEPTH = 0.92;
