import { winston, formats } from '@strapi/logger';

/**
 * LOG_LEVEL (npm levels: error, warn, info, http, verbose, debug, silly; default http) is the least severe level
 * printed: `error` prints errors only, `http` adds every request's line.
 *
 * A message below the level is dropped by the logger's own format, before any formatting: winston formats every
 * message (timestamp, colours) before its transports look at their level, so with LOG_LEVEL=error each request's
 * `http` line was still formatted and then thrown away (a tenth of a millisecond of every request).
 */
const { levels } = winston.config.npm;
const asked = (process.env.LOG_LEVEL || 'http').trim().toLowerCase();
// an unknown name (WARNING, verbose2) would make winston drop every message, errors included: http instead
const level = asked in levels ? asked : 'http';
if (level !== asked) console.warn(`LOG_LEVEL=${process.env.LOG_LEVEL} is not a log level (${Object.keys(levels).join(', ')}): using http`);
const threshold = levels[level as keyof typeof levels];
const atLeastLevel = winston.format((info) => ((levels[info.level as keyof typeof levels] ?? 0) <= threshold ? info : false));

export default {
  level,
  format: atLeastLevel(),
  transports: [new winston.transports.Console({ level, format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD hh:mm:ss.SSS' }) })],
};
