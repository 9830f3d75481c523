/**
 * The mail server the bench's app sends to: a child process (forked, IPC) running `smtp-server` on a free port,
 * counting what it receives. The emails a burst queues are then really delivered over SMTP, as in production,
 * and the bench can report how long after the burst the last of them arrived.
 */
const { fork } = require('child_process');

if (require.main === module) {
  const { SMTPServer } = require('smtp-server');
  let count = 0; let lastAt = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], disableReverseLookup: true, logger: false, closeTimeout: 100,
    onData(stream, _session, callback) { stream.resume(); stream.on('end', () => { count += 1; lastAt = Date.now(); callback(); }); },
  });
  server.on('error', () => {}); // a client that went away (a server process stopped mid-send)
  server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
  process.on('message', (m) => { if (m === 'stats') process.send({ count, lastAt }); });
  process.on('disconnect', () => process.exit(0));
} else {
  module.exports.startSmtpSink = async function startSmtpSink() {
    const child = fork(__filename, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const next = () => new Promise((resolve, reject) => {
      const exited = () => reject(new Error('smtp sink exited'));
      child.once('exit', exited);
      child.once('message', (m) => { child.off('exit', exited); resolve(m); });
    });
    const { port } = await next();
    let chain = Promise.resolve();
    /** { count, lastAt }: messages received so far and when the last one was (epoch ms). */
    const stats = () => (chain = chain.then(() => { const p = next(); child.send('stats'); return p; }));
    /** Waits until `count` messages have arrived in all, or `timeoutMs` passed; returns the stats then. */
    const waitFor = async (count, timeoutMs) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const s = await stats();
        if (s.count >= count || Date.now() > until) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    return { port, stats, waitFor, stop: () => { child.kill('SIGTERM'); } };
  };
}
