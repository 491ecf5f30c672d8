// What `zod` is in the workflow bundle (workers/bundle.ts): zod itself, evaluated on first use instead of by
// every run. Only contracts/ imports zod's values, and only inside schema builds, which one run per worker thread
// makes (contracts/lazy.ts): later runs never evaluate zod's modules. CommonJS, because only CommonJS has a
// require that webpack evaluates when called rather than with the module.
'use strict';

let zod;
const load = () => (zod ??= require('zod/v4'));

exports.z = new Proxy({}, { get: (_, key) => Reflect.get(load().z, key) });
