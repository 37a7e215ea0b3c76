/** The part of VS Code's Memento (`globalState`) that the core uses, so tests can pass a Map. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
  keys(): readonly string[];
}

/** In-memory Memento for tests and tools. */
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
