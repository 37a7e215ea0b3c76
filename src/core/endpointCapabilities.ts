// Remembers, per endpoint, that it cannot chain (it rejected or ignored previous_response_id), so later
// turns go straight to local replay instead of failing first.
import type { MementoLike } from './store/memento';

const KEY = 'threadline.endpoints.v1';

interface Stored {
  v: 1;
  /** Endpoint (base URL) -> when chaining was found unsupported (ms). */
  unsupported: Record<string, number>;
}

export class EndpointCapabilities {
  constructor(private readonly memento: MementoLike) {}

  private read(): Stored {
    const s = this.memento.get<Stored>(KEY);
    return s && s.v === 1 && typeof s.unsupported === 'object' && s.unsupported ? s : { v: 1, unsupported: {} };
  }

  chainingUnsupported(endpoint: string): boolean {
    return this.read().unsupported[normalize(endpoint)] !== undefined;
  }

  async markChainingUnsupported(endpoint: string, at = Date.now()): Promise<void> {
    const s = this.read();
    s.unsupported[normalize(endpoint)] = at;
    await this.memento.update(KEY, s);
  }

  async forget(endpoint: string): Promise<void> {
    const s = this.read();
    delete s.unsupported[normalize(endpoint)];
    await this.memento.update(KEY, s);
  }
}

function normalize(endpoint: string): string {
  return endpoint.trim().replace(/\/+$/, '');
}
