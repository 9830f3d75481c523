import { winston, formats } from '@strapi/logger';

/**
 * LOG_LEVEL (npm levels: error, warn, info, http, verbose, debug, silly; default http) is the least severe level
 * printed: `error` prints errors only, `http` adds every request's line.
 *
 * A message below the level is dropped by the logger's own format, before any formatting: winston formats every
 * message (timestamp, colours) before its transports look at their level, so with LOG_LEVEL=error each request's
 * `http` line was still formatted and then thrown away (a tenth of a millisecond of every request).
 */
const level = process.env.LOG_LEVEL || 'http';
const { levels } = winston.config.npm;
const threshold = levels[level as keyof typeof levels] ?? levels.http;
const atLeastLevel = winston.format((info) => ((levels[info.level as keyof typeof levels] ?? 0) <= threshold ? info : false));

export default {
  level,
  format: atLeastLevel(),
  transports: [new winston.transports.Console({ level, format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD hh:mm:ss.SSS' }) })],
};
