// Mocha hooks for a suite that talks to one fake Responses server through the real `openai` SDK: started
// before the suite, reset before each test, closed after it.
import OpenAI, { type ClientOptions } from 'openai';
import { DEFAULT_API_KEY, startFakeServer, type FakeServer, type FakeServerOptions } from './fakeResponsesServer';

export interface FakeServerSuite {
  /** The running server (from the suite's `before` hook on). */
  readonly fake: FakeServer;
  /** An SDK client for it, with the suite's defaults and these overrides. */
  client(options?: ClientOptions): OpenAI;
}

export function useFakeServer(clientDefaults: ClientOptions = {}, serverOptions: FakeServerOptions = {}): FakeServerSuite {
  let fake: FakeServer | undefined;
  before(async () => {
    fake = await startFakeServer(serverOptions);
  });
  after(() => fake?.close());
  beforeEach(() => fake?.reset());
  const running = (): FakeServer => {
    if (!fake) throw new Error('the fake server starts in the suite’s before hook');
    return fake;
  };
  return {
    get fake() {
      return running();
    },
    client: (options = {}) => new OpenAI({ apiKey: DEFAULT_API_KEY, baseURL: running().url, maxRetries: 0, ...clientDefaults, ...options }),
  };
}
