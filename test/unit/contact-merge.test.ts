import { describe, expect, it } from 'vitest';
import { deepMerge, mergedColumns } from '../../activities/contact-merge.ts';
import type { ContactRecord } from '../../contracts/contacts.ts';

const contact = (c: Partial<ContactRecord>): ContactRecord => ({
  id: 1,
  accountId: 1,
  name: '',
  email: null,
  phoneNumber: null,
  identifier: null,
  avatarUrl: null,
  blocked: false,
  additionalAttributes: {},
  customAttributes: {},
  lastActivityAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...c,
});

describe("Chatwoot's merge rule", () => {
  it('keeps every value the base has and fills its blanks (null, empty, spaces) from the mergee', () => {
    const base = contact({ name: '  ', email: 'base@x.test', identifier: '' });
    const mergee = contact({ name: 'Ana', email: 'mergee@x.test', identifier: 'crm-1', phoneNumber: '+1 555 0100' });
    expect(mergedColumns(base, mergee)).toEqual({
      name: 'Ana',
      email: 'base@x.test',
      identifier: 'crm-1',
      phone_number: '+1 555 0100',
    });
  });

  it('deep-merges the attribute maps with the base winning, and keeps what neither has blank', () => {
    const base = contact({ customAttributes: { plan: 'gold', prefs: { lang: 'pt' } } });
    const mergee = contact({
      customAttributes: { plan: 'free', prefs: { lang: 'en', tz: 'BRT' }, vip: true },
      additionalAttributes: { city: 'Recife' },
    });
    expect(mergedColumns(base, mergee)).toEqual({
      custom_attributes: { plan: 'gold', prefs: { lang: 'pt', tz: 'BRT' }, vip: true },
      additional_attributes: { city: 'Recife' },
    });
    expect(deepMerge({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] }); // arrays are values, not maps
  });
});
