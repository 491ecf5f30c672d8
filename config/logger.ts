import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear. */
const redactPaths = [
  'accessToken',
  'token',
  'password',
  'licenceKey',
  '*.licenceKey',
  '*.accessToken',
  '*.token',
  '*.password',
  'req.headers.authorization',
  'req.headers.api_access_token',
];

export function createLogger(options: { level?: LoggerOptions['level']; name?: string; destination?: { write(line: string): void } } = {}): Logger {
  const settings: LoggerOptions = {
    name: options.name ?? 'capstan',
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
