/**
 * Failure messages and stack traces go into an encoded payload, so the codec
 * encrypts them like any input: a message can quote a value (a database error's
 * `Key (email)=(…)`, a URL). The failure `type` stays in clear, so the API and the
 * Web UI still sort failures without the key.
 *
 * Bundled into the workflow code and `require`d by path by the SDK (worker and
 * client), so this file holds no TypeScript-only syntax: plain Node loads it too.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
