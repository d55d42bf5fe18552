// Small helpers for run.sh, so that it needs nothing but node:
//
//   node tools.mjs free-ports N          N free loopback TCP ports, one per line
//   node tools.mjs wait URL SECONDS PID  until GET URL answers 200 (with
//                                        Authorization: ApiKey $OTELPACK_API_KEY);
//                                        fails early when process PID has exited
import net from 'node:net';

const [command, ...rest] = process.argv.slice(2);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (command === 'free-ports') {
  // Held open together, so that the N ports differ.
  const servers = [];
  const ports = [];
  for (let i = 0; i < Number(rest[0]); i++) {
    const server = net.createServer();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    servers.push(server);
    ports.push(server.address().port);
  }
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  console.log(ports.join('\n'));
} else if (command === 'wait') {
  const [url, seconds, pid] = rest;
  const deadline = Date.now() + Number(seconds) * 1000;
  let last = '';
  for (;;) {
    if (pid && !alive(Number(pid))) {
      console.error(`wait: the process (pid ${pid}) exited before ${url} answered`);
      process.exit(1);
    }
    try {
      const response = await fetch(url, { headers: { Authorization: `ApiKey ${process.env.OTELPACK_API_KEY ?? ''}` } });
      if (response.status === 200) process.exit(0);
      last = `status ${response.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    if (Date.now() > deadline) {
      console.error(`wait: ${url} not ready after ${seconds}s (${last})`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
} else {
  console.error('usage: tools.mjs free-ports N | wait URL SECONDS [PID]');
  process.exit(2);
}

