import { addMemberInput, changeRoleInput, createAccessTokenInput, removeMemberInput, revokeAccessTokenInput } from './members.types.ts';
import { singleWrite } from './single-write.ts';

/** Membership and token writes: each one transaction, each its own workflow type in the Web UI. */
export const addMember = singleWrite('addMember', addMemberInput);
export const changeRole = singleWrite('changeRole', changeRoleInput);
export const removeMember = singleWrite('removeMember', removeMemberInput);
export const createAccessToken = singleWrite('createAccessToken', createAccessTokenInput);
export const revokeAccessToken = singleWrite('revokeAccessToken', revokeAccessTokenInput);
