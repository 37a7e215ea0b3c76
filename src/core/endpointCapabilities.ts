// Remembers, per endpoint, that it cannot chain (it rejected or ignored previous_response_id), so later
// turns go straight to local replay instead of failing first; and which optional parameters it refused
// (requestOptions.ts), so later turns leave them out.
import { safeParse } from 'valibot';
import type { OptionalParameter } from './requestOptions';
import { type EndpointCapabilitiesRecord, endpointCapabilitiesSchema } from './schemas';
import type { MementoLike } from './store/memento';

const KEY = 'threadline.endpoints.v1';

type Stored = EndpointCapabilitiesRecord;

export class EndpointCapabilities {
  constructor(private readonly memento: MementoLike) {}

  private read(): Stored {
    const r = safeParse(endpointCapabilitiesSchema, this.memento.get<unknown>(KEY));
    return r.success ? r.output : { v: 1, unsupported: {} };
  }

  chainingUnsupported(endpoint: string): boolean {
    return this.read().unsupported[normalize(endpoint)] !== undefined;
  }

  async markChainingUnsupported(endpoint: string, at = Date.now()): Promise<void> {
    const s = this.read();
    s.unsupported[normalize(endpoint)] = at;
    await this.memento.update(KEY, s);
  }

  refusedParameters(endpoint: string): OptionalParameter[] {
    return this.read().rejected?.[normalize(endpoint)] ?? [];
  }

  async markParameterRefused(endpoint: string, p: OptionalParameter): Promise<void> {
    const s = this.read();
    const key = normalize(endpoint);
    const rejected = (s.rejected ??= {});
    rejected[key] = [...new Set([...(rejected[key] ?? []), p])];
    await this.memento.update(KEY, s);
  }

  async forget(endpoint: string): Promise<void> {
    const s = this.read();
    delete s.unsupported[normalize(endpoint)];
    delete s.rejected?.[normalize(endpoint)];
    await this.memento.update(KEY, s);
  }
}

function normalize(endpoint: string): string {
  return endpoint.trim().replace(/\/+$/, '');
}
