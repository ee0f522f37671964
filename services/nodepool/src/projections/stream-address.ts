/** `nodeunit:<clusterId>:<name>` → clusterId and name (cluster ids contain no ':'). */
export function addressOf(streamId: string): { clusterId: string; name: string } {
  const first = streamId.indexOf(':');
  const second = streamId.indexOf(':', first + 1);
  return { clusterId: streamId.slice(first + 1, second), name: streamId.slice(second + 1) };
}
