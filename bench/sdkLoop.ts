// The baseline for the host-overhead benchmark: a bare openai SDK streaming loop that prints each delta
// to stdout, as a command-line client would. One line per delta: "<epoch ms> <response id> <sequence> <delta>".
//   node dist/bench/sdkLoop.js <baseURL> <turns>
import OpenAI from 'openai';

async function main(): Promise<void> {
  const [baseURL, turns = '1'] = process.argv.slice(2);
  const client = new OpenAI({ baseURL, apiKey: 'no-key', maxRetries: 0 });
  for (let i = 0; i < Number(turns); i++) {
    const stream = await client.responses.create({ model: 'gpt-5.1', input: `baseline turn ${i + 1}`, stream: true, store: true });
    let id = '';
    for await (const ev of stream) {
      if (ev.type === 'response.created') id = ev.response.id;
      if (ev.type === 'response.output_text.delta') {
        const t = performance.timeOrigin + performance.now();
        process.stdout.write(`${t.toFixed(3)} ${id} ${ev.sequence_number} ${JSON.stringify(ev.delta)}\n`);
      }
    }
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
