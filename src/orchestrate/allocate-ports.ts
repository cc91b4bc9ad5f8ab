// Every batch's agent, setup and validation run at the same time as the other batches': each gets a block
// of ports of its own (FANOUT_PORT_BASE, FANOUT_PORT_COUNT and PORT in its environment), never one the
// constraints file locks. Blocks sit below Linux's ephemeral range (32768+), where the kernel picks the
// ports of outgoing connections, and start at an offset drawn from the run id, so two repos' runs rarely
// meet; a block with a port something already listens on is skipped.
import { createServer } from 'node:net';

export interface PortBlock {
  base: number;
  count: number;
}

export const PORT_BLOCK_SIZE = 10;
export const PORT_RANGE: readonly [number, number] = [20000, 32760];

/** Candidate blocks in the order to try them: from seed's block round the range, none holding a locked port. */
export function* candidateBlocks(seed: string, locked: ReadonlySet<number>, size = PORT_BLOCK_SIZE, range: readonly [number, number] = PORT_RANGE): Generator<PortBlock> {
  const total = Math.floor((range[1] - range[0]) / size);
  const start = hash(seed) % total;
  for (let k = 0; k < total; k++) {
    const base = range[0] + ((start + k) % total) * size;
    let free = true;
    for (let port = base; port < base + size && free; port++) if (locked.has(port)) free = false;
    if (free) yield { base, count: size };
  }
}

/** n distinct blocks whose ports are free of locked ports and, right now, of listeners. */
export async function reservePortBlocks(n: number, seed: string, locked: ReadonlySet<number>, isFree: (port: number) => Promise<boolean> = portIsFree): Promise<PortBlock[]> {
  const blocks: PortBlock[] = [];
  for (const block of candidateBlocks(seed, locked)) {
    if (blocks.length === n) break;
    const ports = Array.from({ length: block.count }, (_, i) => block.base + i);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) blocks.push(block);
  }
  if (blocks.length < n) throw new Error(`only ${blocks.length} free blocks of ${PORT_BLOCK_SIZE} ports between ${PORT_RANGE[0]} and ${PORT_RANGE[1]}, ${n} needed`);
  return blocks;
}

export function portEnv(block: PortBlock | null | undefined): Record<string, string> {
  if (!block) return {};
  return { FANOUT_PORT_BASE: String(block.base), FANOUT_PORT_COUNT: String(block.count), PORT: String(block.base) };
}

/** Whether nothing listens on the port (on any address). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
