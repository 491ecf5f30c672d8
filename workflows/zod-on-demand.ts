/**
 * What `zod` is in the workflow bundle (workers/bundle.ts): zod itself, evaluated on the first use instead of by
 * every run. Only contracts/ imports zod's values, and only inside schema builds, which one run per worker thread
 * makes (contracts/lazy.ts): later runs never evaluate zod's modules.
 */
import type * as Zod from 'zod';

let zod: typeof Zod | undefined;
// A require inside a function is evaluated by webpack when called, not with the module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = () => (zod ??= require('zod/v4') as typeof Zod);

export const z = new Proxy({} as typeof Zod.z, { get: (_, key) => Reflect.get(load().z, key) });
