// 1. Request bytes per turn, chained (previous_response_id) vs replay (`chaining: 'local'`), turns 1..200; and for a
// reasoning model: chained, a lossless replay (the stored reasoning items sent back) and a plain-text replay.
// Real turns: runTurn + ResponsesClient (the real openai SDK) against the fake Responses server over
// loopback HTTP, with zero latency. The size is the request body as it reached the server (its
// Content-Length header, checked against the parsed body).
import fs from 'node:fs';
import path from 'node:path';
import { EndpointCapabilities } from '../src/core/endpointCapabilities';
import { ResponsesClient } from '../src/core/responsesClient';
import { MemoryMemento } from '../test/support/memento';
import { runTurn, type TurnSettings } from '../src/core/turnRunner';
import type { Turn } from '../src/core/types';
import { startFakeServer } from '../test/support/fakeResponsesServer';
import { log as logger, runBench } from './lib/result';
import { bytes, median, ratio } from './lib/stats';
import { answer, question } from './lib/text';

const log = logger('request-bytes');

interface Point {
  turn: number;
  bytes: number;
  inputTokens: number;
  cachedTokens: number;
  ms: number;
}

/** How a run sends its turns: the model, the chaining, and whether earlier turns keep their output items. */
interface Case {
  model: string;
  chaining: 'auto' | 'local';
  /** Replays send the stored items (lossless); false: plain text, as a transcript without items replays. */
  keepItems: boolean;
  /** The replay fidelity every turn after the first must report (replays only). */
  fidelity?: 'items' | 'text';
}

const CASES = {
  chained: { model: 'gpt-5.1', chaining: 'auto', keepItems: false },
  replay: { model: 'gpt-5.1', chaining: 'local', keepItems: false },
  reasoningChained: { model: 'gpt-5-mini', chaining: 'auto', keepItems: true },
  reasoningItems: { model: 'gpt-5-mini', chaining: 'local', keepItems: true, fidelity: 'items' },
  reasoningText: { model: 'gpt-5-mini', chaining: 'local', keepItems: false, fidelity: 'text' },
} satisfies Record<string, Case>;
type CaseName = keyof typeof CASES;

async function runMode(mode: CaseName, turns: number, instructions: string): Promise<Point[]> {
  const spec: Case = CASES[mode];
  const fake = await startFakeServer({ apiKey: null });
  try {
    const client = new ResponsesClient({ baseURL: fake.url, maxRetries: 0, timeoutMs: 120_000 });
    const capabilities = new EndpointCapabilities(new MemoryMemento());
    const settings: TurnSettings = {
      model: spec.model,
      instructions,
      store: true,
      chaining: spec.chaining,
      retentionDays: 30,
      reasoningEffort: 'default',
      reasoningSummary: 'auto',
      compaction: 'auto',
      contextWindow: 0,
    };
    const context: Turn[] = [];
    const points: Point[] = [];
    for (let i = 1; i <= turns; i++) {
      const q = question(i);
      fake.script({ text: answer(i) });
      const t0 = performance.now();
      const out = await runTurn({ client, capabilities, endpoint: fake.url, settings, conversationId: 'bench', context, turn: { question: q, attachments: [] } });
      const elapsed = performance.now() - t0;
      if (out.status !== 'completed') throw new Error(`${mode} turn ${i}: ${out.status} ${out.error?.message ?? ''}`);
      const expectMode = spec.chaining === 'local' ? 'local' : i === 1 ? 'fresh' : 'chained';
      if (out.mode !== expectMode) throw new Error(`${mode} turn ${i}: mode ${out.mode}, expected ${expectMode}`);
      if (spec.fidelity && i > 1 && out.replay !== spec.fidelity) throw new Error(`${mode} turn ${i}: replay ${out.replay}, expected ${spec.fidelity}`);
      if (fake.requests.length !== 1) throw new Error(`${mode} turn ${i}: ${fake.requests.length} requests, expected 1`);
      const req = fake.requests[0]!;
      const json = Buffer.byteLength(JSON.stringify(req.body));
      const header = Number(req.headers['content-length']);
      // The SDK sends compact JSON, so the header and the re-serialized body agree; if a header is
      // missing (chunked upload), the body size stands in.
      const size = Number.isFinite(header) ? header : json;
      if (Number.isFinite(header) && Math.abs(header - json) > 16) {
        throw new Error(`turn ${i}: content-length ${header} but the body serializes to ${json} bytes`);
      }
      fake.requests.length = 0;
      fake.streams.length = 0;
      points.push({ turn: i, bytes: size, inputTokens: out.usage?.inputTokens ?? NaN, cachedTokens: out.usage?.cachedTokens ?? NaN, ms: elapsed });
      const now = Date.now();
      context.push({
        id: `t${i}`,
        parentId: i === 1 ? null : `t${i - 1}`,
        createdAt: now,
        question: q,
        attachments: [],
        answer: out.answer,
        status: 'completed',
        responseId: out.responseId,
        previousResponseId: out.previousResponseId,
        stored: out.stored,
        model: out.model,
        usage: out.usage,
        mode: out.mode,
        output: spec.keepItems ? out.output : undefined,
        finishedAt: now,
      });
    }
    return points;
  } finally {
    await fake.close();
  }
}

void runBench('request-bytes', '1. Request bytes per turn (chained vs replay)', async (cli, r) => {
  const turns = cli.smoke ? 20 : 200;
  const reps = cli.smoke ? 1 : 3;
  const checkpoints = cli.smoke ? [1, 2, 10, 20] : [1, 2, 10, 50, 100, 200];
  const pkg = JSON.parse(fs.readFileSync(path.join(cli.root, 'package.json'), 'utf8'));
  const instructions: string = pkg.contributes.configuration.properties['threadline.instructions'].default;

  const runs: Record<CaseName, Point[][]> = { chained: [], replay: [], reasoningChained: [], reasoningItems: [], reasoningText: [] };
  for (let k = 0; k < reps; k++) {
    for (const mode of ['chained', 'replay'] as const) {
      const t0 = Date.now();
      runs[mode].push(await runMode(mode, turns, instructions));
      log(`${mode} run ${k + 1}/${reps}: ${turns} turns in ${Date.now() - t0} ms`);
    }
  }
  // The reasoning cases: one run each (their figures go in the report as one run's).
  for (const mode of ['reasoningChained', 'reasoningItems', 'reasoningText'] as const) {
    const t0 = Date.now();
    runs[mode].push(await runMode(mode, turns, instructions));
    log(`${mode}: ${turns} turns in ${Date.now() - t0} ms`);
  }
  const at = (mode: CaseName, turn: number, key: keyof Point) => median(runs[mode].map((p) => p[turn - 1]![key]));

  r.method.push(
    `Real turns through \`runTurn\` (src/core/turnRunner.ts) and \`ResponsesClient\` (the real \`openai\` SDK) against the fake Responses server on 127.0.0.1 with zero latency. ` +
      `Each turn asks a ${question(1).length}-character question; the fake answers ${answer(1).length} characters of markdown (scripted per turn). ` +
      `Chained = \`chaining: 'auto'\` (the default: \`previous_response_id\`, only the new turn sent); replay = \`chaining: 'local'\` (the transcript resent every turn, as chat-completions clients do). ` +
      `Bytes = the request's Content-Length as received by the server (checked equal to the parsed body re-serialized). ${turns} turns per run, ${reps} run(s) per mode, alternated; median per turn.`,
  );
  r.tables.push({
    caption: 'Request body bytes and server-side input tokens per turn',
    columns: ['turn', 'chained bytes', 'replay bytes', 'replay / chained', 'chained input_tokens', 'chained cached_tokens', 'replay input_tokens'],
    rows: checkpoints.filter((c) => c <= turns).map((c) => [
      c,
      at('chained', c, 'bytes'),
      at('replay', c, 'bytes'),
      ratio(at('replay', c, 'bytes') / at('chained', c, 'bytes'), 1),
      at('chained', c, 'inputTokens'),
      at('chained', c, 'cachedTokens'),
      at('replay', c, 'inputTokens'),
    ]),
  });
  const last = turns;
  const c1 = at('chained', 1, 'bytes');
  const c2 = at('chained', 2, 'bytes');
  const cN = at('chained', last, 'bytes');
  const rN = at('replay', last, 'bytes');
  r.goals.push({
    name: `chained request bytes, turn ${last} / turn 1`,
    value: `${ratio(cN / c1)} (${cN} B / ${c1} B)`,
    goal: '≤ 1.10×',
    pass: last < 200 ? null : cN / c1 <= 1.1,
    note: cN / c1 > 1.1
      ? `turn 2 onward carries "previous_response_id":"resp_…" (+${c2 - c1} B, constant); turn ${last} / turn 2 = ${ratio(cN / c2)}: no growth after the chain starts`
      : `turn ${last} / turn 2 = ${ratio(cN / c2)} (turn 2 onward adds the constant previous_response_id field, +${c2 - c1} B)`,
  });
  r.goals.push({
    name: `replay / chained request bytes at turn ${last}`,
    value: `${ratio(rN / cN, 0)} (${bytes(rN)} vs ${bytes(cN)})`,
    goal: '≥ 50×',
    pass: last < 200 ? null : rN / cN >= 50,
    note: last < 200 ? 'smoke run: the goal is for turn 200' : undefined,
  });
  const tok1 = at('chained', 1, 'inputTokens');
  const tokN = at('chained', last, 'inputTokens');
  r.notes.push(
    `Honesty: chaining saves upload bytes, not model context. The server still reads the whole chain: chained input_tokens grow from ${tok1} at turn 1 to ${tokN} at turn ${last} ` +
      `(${ratio(tokN / tok1, 0)}), the same as replay (${at('replay', last, 'inputTokens')}). With the fake's prompt-cache model, ${at('chained', last, 'cachedTokens')} of them are cached at turn ${last}.`,
  );
  const tc = median(runs.chained.map((p) => median(p.slice(-10).map((x) => x.ms))));
  const tr = median(runs.replay.map((p) => median(p.slice(-10).map((x) => x.ms))));
  r.notes.push(`Client wall time per turn over the last 10 turns (loopback, zero latency, informative only): chained ${tc.toFixed(1)} ms, replay ${tr.toFixed(1)} ms.`);
  const reasoningCheckpoints = (cli.smoke ? [1, 10, 20] : [1, 50, 200]).filter((c) => c <= turns);
  r.tables.push({
    caption: 'A reasoning model (gpt-5-mini, summaries on, `include: [reasoning.encrypted_content]`): request body bytes per turn, one run',
    columns: ['turn', 'chained bytes', 'lossless replay bytes (items)', 'plain-text replay bytes', 'items / text', 'chained input_tokens', 'lossless input_tokens'],
    rows: reasoningCheckpoints.map((c) => [
      c,
      at('reasoningChained', c, 'bytes'),
      at('reasoningItems', c, 'bytes'),
      at('reasoningText', c, 'bytes'),
      ratio(at('reasoningItems', c, 'bytes') / at('reasoningText', c, 'bytes'), 2),
      at('reasoningChained', c, 'inputTokens'),
      at('reasoningItems', c, 'inputTokens'),
    ]),
  });
  r.notes.push(
    'Reasoning cases: chained sends only the new turn whatever the model thought before; the lossless replay (recovery, `local` mode, `store: false`) sends every earlier ' +
      'reasoning item with its encrypted content next to the message that followed it, and each message with its id and phase; the plain-text replay is the fallback when ' +
      'the items cannot be sent (a version 1 transcript, another model family, refused items). The difference between the two replays is the cost of keeping the reasoning.',
  );
});
