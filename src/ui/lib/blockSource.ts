/**
 * A ByteSource wrapper that can prefetch one contiguous byte range in a single read and
 * then serve the reads that fall inside it. The heatmap prefetches the DATA range of the
 * visible lanes (one File.slice instead of one per lane); the core reader still reads,
 * hashes and decodes every lane itself. Pure byte plumbing, no format knowledge.
 */
import type { ByteSource } from '../../core/bytes/source';

interface Block { offset: number; bytes: Uint8Array }

export class BlockSource implements ByteSource {
  private blocks: Block[] = [];
  constructor(private readonly inner: ByteSource, private readonly maxBlocks = 8) {}
  get size(): number { return this.inner.size; }
  get name(): string | undefined { return this.inner.name; }

  /** Read [offset, offset+length) once; later reads inside it are served from memory. */
  async prefetch(offset: number, length: number): Promise<void> {
    if (length <= 0 || this.find(offset, length)) return;
    const bytes = await this.inner.read(offset, length);
    this.blocks.push({ offset, bytes });
    if (this.blocks.length > this.maxBlocks) this.blocks.shift();
  }

  /** Forget prefetched blocks (e.g. before a verification that must re-read the file). */
  drop(): void { this.blocks = []; }

  private find(offset: number, length: number): Block | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i];
      if (offset >= b.offset && offset + length <= b.offset + b.bytes.length) return b;
    }
    return undefined;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const b = this.find(offset, length);
    if (b) return b.bytes.subarray(offset - b.offset, offset - b.offset + length);
    return this.inner.read(offset, length);
  }
}
