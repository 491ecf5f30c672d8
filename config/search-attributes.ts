import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes every Capstan workflow may carry; registered on the dev server at start. */
export const searchAttributes = {
  kind: defineSearchAttributeKey('CapstanKind', SearchAttributeType.KEYWORD),
  accountId: defineSearchAttributeKey('CapstanAccountId', SearchAttributeType.KEYWORD),
  userId: defineSearchAttributeKey('CapstanUserId', SearchAttributeType.KEYWORD),
  appId: defineSearchAttributeKey('CapstanAppId', SearchAttributeType.KEYWORD),
} as const;

/** `--search-attribute` values for `temporal server start-dev`. */
export const devServerSearchAttributeFlags = Object.values(searchAttributes).flatMap((key) => [
  '--search-attribute',
  `${key.name}=Keyword`,
]);
