/** Small LRU map used for decoded lanes (insertion order = recency). */
export class Lru<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get size(): number { return this.map.size; }
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  peek(k: K): V | undefined { return this.map.get(k); }
  has(k: K): boolean { return this.map.has(k); }
  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    while (this.map.size > this.limit) {
      const first = this.map.keys().next().value as K;
      this.map.delete(first);
    }
  }
  clear(): void { this.map.clear(); }
}
