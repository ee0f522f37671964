/**
 * How the agent's Node process is started (edgectl's systemd unit and supervisor, and the
 * benchmarks, which run the agent as nodes do).
 *
 * Moving tunnel traffic allocates a buffer per read; with V8's default young generation (up to
 * 16 MiB semi-spaces) and glibc's one malloc arena per thread, the freed memory is returned late
 * or never and the agent grew from 64 MB RSS idle to 140-164 MB while relaying (tunnel-throughput
 * bench, 1 MiB bodies at concurrency 4). A 1 MiB semi-space, an old-space cap far above what the
 * agent keeps live (about 10 MB of heap), and two malloc arenas held it at 96-98 MB, with no
 * measurable change of idle RSS (63-64 MB, of which 48 MB are the node binary's own pages).
 * The cap makes a leak end in a restart by the supervisor instead of a node out of memory.
 */
export const AGENT_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--max-old-space-size=64',
  // lets the sub-streams collect the young generation every 8 MiB moved (tunnel/chunk-duplex.ts):
  // the dead buffers of a transfer are freed at once instead of piling up until the
  // external-memory limit forces a full collection. Under the throughput bench's load RssAnon
  // went from 48-56 to 42-44 MB, with less CPU per MB, not more (fewer full collections).
  '--expose-gc',
];

export const AGENT_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
