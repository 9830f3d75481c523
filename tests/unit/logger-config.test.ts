/**
 * config/logger.ts: LOG_LEVEL is the least severe level printed. The earlier config printed only the one
 * level named (with the default `http`, request lines but never an error or a warning).
 */
import { createLogger } from '@strapi/logger';

function printed(level: string | undefined): string {
  const before = process.env.LOG_LEVEL;
  if (level === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = level;
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (out.push(String(chunk)), true));
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  try {
    jest.isolateModules(() => {
      const config = require('../../config/logger').default;
      // as Strapi creates its logger (registerInternalServices)
      const logger = createLogger({ level: 'http', ...config });
      logger.error('an-error');
      logger.warn('a-warning');
      logger.info('some-info');
      logger.http('GET /api/events (3 ms) 200');
      logger.debug('a-debug-line');
    });
  } finally {
    write.mockRestore();
    log.mockRestore();
    if (before === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = before;
  }
  return out.join('\n');
}

describe('LOG_LEVEL', () => {
  it('by default (http) prints errors, warnings, info and request lines, not debug', () => {
    const text = printed(undefined);
    for (const m of ['an-error', 'a-warning', 'some-info', 'GET /api/events']) expect(text).toContain(m);
    expect(text).not.toContain('a-debug-line');
  });

  it('error prints errors only', () => {
    const text = printed('error');
    expect(text).toContain('an-error');
    for (const m of ['a-warning', 'some-info', 'GET /api/events', 'a-debug-line']) expect(text).not.toContain(m);
  });

  it('a name that is no level (WARNING) prints as http does rather than nothing at all', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const text = printed('WARNING');
      for (const m of ['an-error', 'a-warning', 'GET /api/events']) expect(text).toContain(m);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('LOG_LEVEL=WARNING is not a log level'));
    } finally {
      warn.mockRestore();
    }
  });

  it('warn prints errors and warnings', () => {
    const text = printed('warn');
    expect(text).toContain('an-error');
    expect(text).toContain('a-warning');
    expect(text).not.toContain('GET /api/events');
  });
});
