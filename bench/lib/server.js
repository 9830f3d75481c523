/** Starts the compiled app as a child process and measures its cold start and idle memory. */
const { spawn, execFileSync } = require('child_process');
const net = require('net');
const path = require('path');

const freePort = () => new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const JWT_SECRET = 'bench-jwt-secret';

async function startServer(dbEnv, opts = {}) {
  const port = await freePort();
  const env = { ...process.env, ...dbEnv, PORT: String(port), HOST: '127.0.0.1', CRON_ENABLED: 'false', SERVE_ADMIN: 'false', LOG_LEVEL: 'error',
    JWT_SECRET, STRAPI_TELEMETRY_DISABLED: 'true', NODE_ENV: 'development', SMTP_PORT: dbEnv.SMTP_PORT ?? '1', BROWSER: 'none' };
  const t0 = process.hrtime.bigint();
  const script = opts.script ?? path.join(__dirname, '..', 'server.js');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode != null) throw new Error(`server exited: ${stderr.slice(-2000)}`);
    try { const r = await fetch(url + '/_health'); if (r.status === 204) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
    if (Number(process.hrtime.bigint() - t0) / 1e9 > (opts.timeout ?? 180)) throw new Error('server did not start');
  }
  const coldStartMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { url, port, child, coldStartMs, rssMb: () => rssOf(child.pid),
    stop: () => new Promise((res) => { if (child.exitCode != null) return res(); child.once('exit', res); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 10000).unref(); }) };
}

/**
 * CPU time (user + system) a process has used so far, in ms: what a scenario cost the server, steadier from run to
 * run than its latency when the machine is shared (the load generator and the database compete for the same cores).
 */
function cpuMsOf(pid) {
  try {
    const fields = require('fs').readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command's name), in clock ticks (100 a second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function rssOf(pid) {
  try { const s = require('fs').readFileSync(`/proc/${pid}/status`, 'utf8'); return Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024; } catch { return null; }
}

module.exports = { cpuMsOf, startServer, freePort, JWT_SECRET };
