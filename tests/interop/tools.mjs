// A small helper for run.sh, so that it needs nothing but node:
//
//   node tools.mjs wait URL SECONDS PID  until GET URL answers 200 (with
//                                        Authorization: ApiKey $OTELPACK_API_KEY);
//                                        fails early when process PID has exited
//
// (No "free ports" helper: a port picked free and bound later can be taken by
// another test meanwhile; run.sh's servers listen on port 0 and say which.)

const [command, ...rest] = process.argv.slice(2);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (command === 'wait') {
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
  console.error('usage: tools.mjs wait URL SECONDS [PID]');
  process.exit(2);
}

