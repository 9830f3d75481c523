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
// An Error logged as such (Strapi's error middleware logs every unexpected one so) leaves this format as a plain
// object whose message is its stack: its own message and stack are not enumerable, and the console's format, which
// reads `message`, printed "error: undefined" for every 500.
const atLeastLevel = winston.format((info) => {
  if ((levels[info.level as keyof typeof levels] ?? 0) > threshold) return false;
  return info instanceof Error ? { ...info, level: info.level, message: info.stack || info.message } : info;
});

export default {
  level,
  format: atLeastLevel(),
  transports: [new winston.transports.Console({ level, format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' }) })],
};
