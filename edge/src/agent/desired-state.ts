import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The desired state as the agent keeps it (and as state/desired.json holds it). */
export const DesiredStateSchema = z.object({
  version: z.string(),
  peers: z.array(z.object({ name: z.string(), address: z.string() })),
  remoteLogin: z.boolean(),
  settings: z.object({
    heartbeatPeriodSeconds: z.number().int().positive(),
    probePeriodSeconds: z.number().int().positive(),
    probeTimeoutMs: z.number().int().positive(),
  }),
  generatedAt: z.string(),
});
export type DesiredState = z.infer<typeof DesiredStateSchema>;

const CacheFileSchema = z.object({
  clusterId: z.string(),
  nodeName: z.string(),
  savedAt: z.string(),
  desired: DesiredStateSchema,
});

/**
 * The on-disk cache of the node's desired state (F-TU-4): written (atomically: temp file + rename)
 * whenever the cloud sends a new version, read at start so the agent keeps doing what it was last
 * told while the cloud is away, and replaced on reconnect by what the cloud says now.
 */
export class DesiredStateCache {
  private readonly file: string;

  constructor(
    stateDir: string,
    private readonly identity: { clusterId: string; nodeName: string },
  ) {
    this.file = path.join(stateDir, 'desired.json');
  }

  load(): DesiredState | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = CacheFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    // a cache of another node or cluster (a reused home) is not ours to serve
    if (parsed.data.clusterId !== this.identity.clusterId || parsed.data.nodeName !== this.identity.nodeName)
      return undefined;
    return parsed.data.desired;
  }

  save(desired: DesiredState): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      JSON.stringify({ ...this.identity, savedAt: new Date().toISOString(), desired }, null, 2) + '\n',
    );
    renameSync(tmp, this.file);
  }
}

/** Writes a small JSON file atomically (status.json). */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, file);
}
