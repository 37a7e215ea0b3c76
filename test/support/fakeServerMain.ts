// Runs the fake Responses server as a process, for `npm start` and the benchmarks:
//   node dist/test/support/fakeServerMain.js [--port N] [--key K | --no-auth] [--recall] [--delay MS] [--chunk N]
//                                            [--answer echo|assistant]
// `--answer assistant` (what `npm start` passes) answers in Markdown like a model; the default echoes.
// Prints one JSON line {"url","port","pid","apiKey"} to stdout once it listens; stops on SIGTERM / SIGINT.
import { startFakeServer, type FakeServerOptions } from './fakeResponsesServer';

const USAGE =
  'usage: fakeServerMain [--port N] [--key K | --no-auth] [--recall] [--delay MS] [--chunk N] [--answer echo|assistant]';

function parseArgs(argv: string[]): FakeServerOptions & { port?: number } {
  const options: FakeServerOptions & { port?: number } = {};
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--port') options.port = number(flag, argv[++i]);
    else if (flag === '--key' && argv[i + 1] !== undefined) options.apiKey = argv[++i];
    else if (flag === '--no-auth') options.apiKey = null;
    else if (flag === '--recall') options.recall = true;
    else if (flag === '--delay') options.interDeltaDelayMs = number(flag, argv[++i]);
    else if (flag === '--chunk') options.chunkSize = number(flag, argv[++i]);
    else if (flag === '--answer') options.answerMode = answerMode(argv[++i]);
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  return options;
}

function answerMode(value: string | undefined): FakeServerOptions['answerMode'] {
  if (value === 'echo' || value === 'assistant') return value;
  throw new Error(`--answer needs echo or assistant\n${USAGE}`);
}

async function main(): Promise<void> {
  const fake = await startFakeServer(parseArgs(process.argv.slice(2)));
  process.stdout.write(
    JSON.stringify({ url: fake.url, port: fake.port, pid: process.pid, apiKey: fake.options.apiKey }) + '\n',
  );
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
