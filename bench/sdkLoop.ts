// The baseline for the host-overhead benchmark: a bare openai SDK streaming loop that prints each delta
// to stdout, as a command-line client would. One line per delta: "<epoch ms> <response id> <sequence> <delta>",
// then "done" after each stream.
//   node dist/bench/sdkLoop.js <baseURL> <turns>     that many streams, then exit
//   node dist/bench/sdkLoop.js <baseURL> --stdin     one stream per line read from stdin, until it closes
import OpenAI from 'openai';
import readline from 'node:readline';

async function streamOnce(client: OpenAI, n: number): Promise<void> {
  const stream = await client.responses.create({ model: 'gpt-5.1', input: `baseline turn ${n}`, stream: true, store: true });
  let id = '';
  for await (const ev of stream) {
    if (ev.type === 'response.created') id = ev.response.id;
    if (ev.type === 'response.output_text.delta') {
      const t = performance.timeOrigin + performance.now();
      process.stdout.write(`${t.toFixed(3)} ${id} ${ev.sequence_number} ${JSON.stringify(ev.delta)}\n`);
    }
  }
  process.stdout.write('done\n');
}

async function main(): Promise<void> {
  const [baseURL, mode = '1'] = process.argv.slice(2);
  const client = new OpenAI({ baseURL, apiKey: 'no-key', maxRetries: 0 });
  if (mode === '--stdin') {
    let n = 0;
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (line === 'quit') break;
      await streamOnce(client, ++n);
    }
    return;
  }
  for (let i = 0; i < Number(mode); i++) await streamOnce(client, i + 1);
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
