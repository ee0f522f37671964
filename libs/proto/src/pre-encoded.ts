import type { PackageDefinition } from '@grpc/proto-loader';

/**
 * Lets a handler write a response it has encoded itself: each method's response encoder passes a
 * `Uint8Array` through as the message's bytes (any other value is encoded as usual). For a server
 * stream that sends the same parts to many calls (the events service's Subscribe: one event,
 * hundreds of subscribers), encoding each part once instead of once per call. No handler returns
 * bytes otherwise (responses are message objects), so nothing else changes.
 */
export function acceptPreEncodedResponses(packageDefinition: PackageDefinition): void {
  for (const entry of Object.values(packageDefinition)) {
    if (!entry || typeof entry !== 'object' || 'format' in entry) continue;
    for (const method of Object.values(entry as Record<string, unknown>)) {
      const m = method as { responseSerialize?: ((value: unknown) => Buffer) & { preEncoded?: boolean } };
      if (!m || typeof m.responseSerialize !== 'function' || m.responseSerialize.preEncoded) continue;
      const encode = m.responseSerialize;
      m.responseSerialize = Object.assign(
        (value: unknown) =>
          value instanceof Uint8Array
            ? Buffer.isBuffer(value)
              ? value
              : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
            : encode(value),
        { preEncoded: true },
      );
    }
  }
}

/** A protobuf varint (lengths and tags of hand-encoded messages). */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
