import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The compiled module, run in a child process whose stdout is a pipe (as under a supervisor or `docker logs`). */
const COMPILED = join(__dirname, '..', '..', 'dist', 'server', 'logDestination.js');

function runChild(script: string): { lines: () => string[]; exited: Promise<number | null>; kill: () => void } {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}

const header = `const pino = require('pino'); const { bufferedStdout } = require(${JSON.stringify(COMPILED)});
const d = bufferedStdout(); const log = pino({}, d.stream);`;

describe('bufferedStdout', () => {
  beforeAll(() => {
    if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: run npm run build first`);
  });

  it('writes what is buffered when the process exits', async () => {
    const child = runChild(`${header} for (let i = 0; i < 3; i++) log.info('line ' + i); process.exit(0);`);
    expect(await child.exited).toBe(0);
    expect(child.lines()).toEqual(['line 0', 'line 1', 'line 2']);
  });

  it("a quiet process's line reaches the log while it keeps running", async () => {
    const child = runChild(`${header} log.info('started'); setInterval(() => undefined, 1000);`);
    try {
      // Fewer bytes than the buffer holds: only the periodic flush can write them.
      while (child.lines().length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(child.lines()).toEqual(['started']);
    } finally {
      child.kill();
    }
  });
});
