import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear. */
const redactPaths = [
  'accessToken',
  'token',
  'password',
  '*.accessToken',
  '*.token',
  '*.password',
  'req.headers.authorization',
  'req.headers.api_access_token',
];

export function createLogger(options: { level?: LoggerOptions['level']; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'capstan',
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
