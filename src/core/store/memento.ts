/** The part of VS Code's Memento (`globalState`) that the core uses; tests pass test/support/memento.ts. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
  keys(): readonly string[];
}
