// The model facts table: families, snapshots, safe defaults, the compaction threshold and the picker's order.
import assert from 'node:assert/strict';
import {
  compactionThreshold,
  DEFAULT_FACTS,
  effortLevelsFor,
  isChatModel,
  modelFacts,
  REASONING_EFFORTS,
  sortModelIds,
} from '../../src/core/models';

describe('models: facts per model', () => {
  it('knows a family by its id, its dated snapshots and its variants', () => {
    assert.equal(modelFacts('gpt-5.1').family, 'gpt-5.1');
    assert.equal(modelFacts('gpt-5.1-2025-11-13').family, 'gpt-5.1');
    assert.equal(modelFacts('gpt-5-mini-2025-08-07').family, 'gpt-5-mini');
    assert.equal(modelFacts('gpt-4-0613').family, 'gpt-4');
    assert.equal(modelFacts('gpt-3.5-turbo-0125').family, 'gpt-3.5-turbo');
    assert.equal(modelFacts('gpt-5.1-codex-mini').family, 'gpt-5.1-codex', 'the longest prefix wins');
    assert.equal(modelFacts('gpt-4o-mini-2024-07-18').family, 'gpt-4o-mini');
    assert.equal(modelFacts('GPT-5').family, 'gpt-5', 'ids are case-insensitive');
    assert.equal(modelFacts('openai/gpt-4.1').family, 'gpt-4.1', 'a router prefix names the base model');
    assert.equal(modelFacts('ft:gpt-4o-mini:acme::abc123').family, 'gpt-4o-mini', 'a fine-tune names its base model');
  });

  it('does not mistake a longer name for a family it merely starts with', () => {
    assert.equal(modelFacts('gpt-50').family, undefined);
    assert.equal(modelFacts('o3x').family, undefined);
    assert.equal(modelFacts('gpt-5-chat-latest').reasoning, false, 'the chat variant of a reasoning family');
  });

  it('gives windows, output limits and reasoning per family', () => {
    assert.deepEqual(modelFacts('gpt-5'), { family: 'gpt-5', contextWindow: 400_000, maxOutputTokens: 128_000, reasoning: true, effortLevels: ['minimal', 'low', 'medium', 'high'] });
    assert.equal(modelFacts('gpt-4.1').contextWindow, 1_047_576);
    assert.equal(modelFacts('gpt-4o').reasoning, false);
    assert.equal(modelFacts('o3').reasoning, true);
  });

  it('offers only the effort levels each model accepts, all from the schema enum', () => {
    assert.deepEqual(effortLevelsFor('gpt-5.1'), ['none', 'low', 'medium', 'high']);
    assert.deepEqual(effortLevelsFor('gpt-5.2'), ['none', 'low', 'medium', 'high', 'xhigh']);
    assert.deepEqual(effortLevelsFor('gpt-5-pro'), ['high']);
    assert.deepEqual(effortLevelsFor('o4-mini'), ['low', 'medium', 'high']);
    assert.deepEqual(effortLevelsFor('gpt-4o'), [], 'a model that does not reason takes no effort');
    for (const id of ['gpt-5.6-sol', 'gpt-5.5', 'gpt-5.4-mini', 'gpt-5.2-pro', 'gpt-5.1-codex-max', 'gpt-5-nano', 'o1', 'codex-mini-latest']) {
      const levels = effortLevelsFor(id);
      assert.ok(levels.length > 0, id);
      assert.ok(levels.every((l) => REASONING_EFFORTS.includes(l)), id);
      assert.ok(modelFacts(id).reasoning, id);
    }
  });

  it('falls back to safe defaults for unknown models', () => {
    for (const id of ['llama3.1:8b', 'qwen2.5-coder', 'my-proxy-model', '', '   ', '__proto__', 'constructor', 'toString']) {
      assert.deepEqual(modelFacts(id), DEFAULT_FACTS, JSON.stringify(id));
      assert.deepEqual(effortLevelsFor(id), []);
    }
    assert.equal(DEFAULT_FACTS.reasoning, false);
    assert.ok(DEFAULT_FACTS.contextWindow <= 32_768, 'a conservative window');
  });
});

describe('models: compaction threshold', () => {
  it('is 90% of the prompt budget: the window less the output limit', () => {
    assert.equal(compactionThreshold('gpt-5'), Math.floor((400_000 - 128_000) * 0.9));
    assert.equal(compactionThreshold('gpt-4o'), Math.floor((128_000 - 16_384) * 0.9));
    assert.equal(compactionThreshold('unknown-local'), Math.floor((32_768 - 4_096) * 0.9));
  });

  it('takes the threadline.contextWindow override, keeping at least half of it for the prompt', () => {
    assert.equal(compactionThreshold('unknown-local', 8_192), Math.floor((8_192 - 4_096) * 0.9));
    assert.equal(compactionThreshold('gpt-5', 1_000_000), Math.floor((1_000_000 - 128_000) * 0.9));
    assert.equal(compactionThreshold('gpt-5', 100_000), Math.floor(50_000 * 0.9), 'an output limit larger than half the override');
  });

  it('ignores an override that is not a positive whole number', () => {
    for (const bad of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(compactionThreshold('gpt-5', bad), compactionThreshold('gpt-5'), String(bad));
    }
  });

  it('is below the window for every known family', () => {
    for (const id of ['gpt-5.6-luna', 'gpt-5.2-chat-latest', 'gpt-4', 'gpt-3.5-turbo', 'o1-mini']) {
      const f = modelFacts(id);
      const t = compactionThreshold(id);
      assert.ok(t > 0 && t < f.contextWindow, id);
    }
  });
});

describe('models: chat-capable ids for the picker', () => {
  const notChat = [
    'text-embedding-3-small', 'text-embedding-ada-002', 'tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'whisper-1',
    'gpt-4o-transcribe', 'dall-e-3', 'dall-e-2', 'gpt-image-1', 'chatgpt-image-latest', 'omni-moderation-latest',
    'text-moderation-latest', 'gpt-realtime', 'gpt-4o-realtime-preview', 'gpt-4o-audio-preview', 'gpt-audio',
    'gpt-audio-mini', 'sora-2', 'computer-use-preview', 'gpt-3.5-turbo-instruct', 'davinci-002', 'babbage-002',
  ];
  const chat = ['gpt-5.1', 'gpt-5-mini-2025-08-07', 'gpt-4o', 'o3', 'o4-mini', 'codex-mini-latest', 'gpt-4o-search-preview', 'llama3.1:8b', 'qwen2.5-coder:7b'];

  it('filters out embeddings, speech, images, video, moderation, realtime and completions-only models', () => {
    for (const id of notChat) assert.equal(isChatModel(id), false, id);
    for (const id of chat) assert.equal(isChatModel(id), true, id);
    assert.equal(isChatModel(''), false);
  });

  it('sorts a /v1/models list: unique ids, chat-capable first, each group by name', () => {
    const listed = ['whisper-1', 'gpt-5.1', 'text-embedding-3-small', 'gpt-4o', ' gpt-5.1 ', 'dall-e-3', 'o3', ''];
    assert.deepEqual(sortModelIds(listed), ['gpt-4o', 'gpt-5.1', 'o3', 'dall-e-3', 'text-embedding-3-small', 'whisper-1']);
    assert.deepEqual(sortModelIds([]), []);
  });
});
