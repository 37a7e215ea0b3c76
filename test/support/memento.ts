// globalState's stand-in for the unit tests, the integration tests that build a store by hand, and the benchmarks.
import type { MementoLike } from '../../src/core/store/memento';

export class MemoryMemento implements MementoLike {
  private readonly map = new Map<string, string>();

  get<T>(key: string): T | undefined {
    const v = this.map.get(key);
    // Stored as JSON, like globalState, so tests see the same copy semantics.
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, JSON.stringify(value));
  }

  keys(): readonly string[] {
    return [...this.map.keys()];
  }

  /** Serialized size of one entry, in bytes. */
  sizeOf(key: string): number {
    return Buffer.byteLength(this.map.get(key) ?? '');
  }
}
