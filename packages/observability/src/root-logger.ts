import { type Logger, pino } from 'pino';

/** The process's one pino root logger; JSON to stdout, secrets redacted wherever they appear. */
export function createRootLogger(options: { name: string; level: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: {
      paths: ['*.password', '*.secret', '*.token', '*.apiKey', 'config.REDIS_URL'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
