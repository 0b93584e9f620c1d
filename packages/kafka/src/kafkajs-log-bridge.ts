import { type LogEntry, type logCreator, logLevel } from 'kafkajs';

/** The subset of a pino logger the bridge writes to: fields first, then a message. */
export interface StructuredLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Returns a kafkajs `logCreator` that forwards every kafkajs log line to `logger`, so kafkajs
 * joins the service's one logger tree. kafkajs filters by its own `logLevel` option before
 * calling the creator; the logger then applies its own level.
 */
export function createKafkajsLogCreator(logger: StructuredLogger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      // kafkajs stamps its own ISO time and a constant logger name; the target logger has both.
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      const fields = { kafkajsNamespace: namespace, ...extra };
      switch (level) {
        case logLevel.ERROR:
          logger.error(fields, message);
          break;
        case logLevel.WARN:
          logger.warn(fields, message);
          break;
        case logLevel.INFO:
          logger.info(fields, message);
          break;
        default:
          // DEBUG and anything a later kafkajs adds; NOTHING is never emitted.
          logger.debug(fields, message);
          break;
      }
    };
}
