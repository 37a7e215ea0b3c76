// A session over real parts for unit tests: the real store on a fresh temp directory, a memory globalState,
// and the real openai SDK against one fake Responses server, with the events it emitted collected.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EndpointCapabilities } from '../../src/core/endpointCapabilities';
import { Session, type SessionEvent, type SessionPorts } from '../../src/core/session';
import { ConversationStore } from '../../src/core/store/conversationStore';
import { nodeFileSystem } from '../../src/core/store/fileSystem';
import type { SessionSettings } from '../../src/core/turnExecutor';
import { DEFAULT_API_KEY, startFakeServer, type FakeServer } from './fakeResponsesServer';
import { MemoryMemento } from './memento';

export interface SessionHarness {
  fake: FakeServer;
  root: string;
  memento: MemoryMemento;
  /** Read by the session on every turn; a test may change it. */
  settings: SessionSettings;
  events: SessionEvent[];
  workspaceKey: string;
  openStore(): Promise<ConversationStore>;
  /** A session with these ports replaced; turn ids count up from `turn-1`. */
  session(ports?: Partial<SessionPorts>): Session;
}

/**
 * Mocha hooks: one fake server for the suite, and before each test a fresh temp directory, memento, event
 * list and `settings` (from `base`, pointed at the fake).
 */
export function useSessionHarness(base: Omit<SessionSettings, 'baseURL'>, workspaceKey = 'ws'): SessionHarness {
  const h = { workspaceKey, events: [] as SessionEvent[] } as SessionHarness;
  before(async () => {
    h.fake = await startFakeServer();
  });
  after(() => h.fake.close());
  beforeEach(async () => {
    h.fake.reset();
    h.root = await fs.mkdtemp(path.join(os.tmpdir(), 'tl-session-'));
    h.memento = new MemoryMemento();
    h.settings = { ...base, baseURL: h.fake.url };
    h.events = [];
  });
  afterEach(() => fs.rm(h.root, { recursive: true, force: true }));
  h.openStore = async () => {
    const s = new ConversationStore(nodeFileSystem, h.root, h.memento, h.workspaceKey);
    await s.open();
    return s;
  };
  h.session = (ports = {}) => {
    let n = 0;
    return new Session({
      openStore: h.openStore,
      settings: () => h.settings,
      apiKey: async () => DEFAULT_API_KEY,
      capabilities: new EndpointCapabilities(h.memento),
      log: { info: () => undefined, warn: () => undefined },
      events: (e) => h.events.push(e),
      newId: () => `turn-${++n}`,
      ...ports,
    });
  };
  return h;
}
