/**
 * Chatwoot's user `push_event_data`, as a conversation's assignee appears in its views and webhook payloads.
 * Capstan keeps no avatar or availability: those are empty and offline.
 */
export const chatwootUserPush = (id: number, name: string) => ({
  id,
  name,
  available_name: name,
  avatar_url: '',
  type: 'user',
  availability_status: 'offline',
  thumbnail: '',
});
