import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { LOADER_OPTIONS } from '@edgeplane/proto';
import { describe, expect, it } from 'vitest';
import { AGENT_LOADER_OPTIONS } from '../src/tunnel/protocol.js';
import { TUNNEL_DESCRIPTOR_JSON } from '../src/tunnel/tunnel.descriptor.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('the tunnel protocol the agent carries', () => {
  it('is the one in proto/ (regenerate: node edge/scripts/tunnel-descriptor.mjs)', () => {
    const root = new protobuf.Root();
    root.loadSync(path.join(REPO, 'proto/edgeplane/tunnel/v1/tunnel.proto'), { keepCase: false });
    expect(JSON.parse(TUNNEL_DESCRIPTOR_JSON)).toEqual(JSON.parse(JSON.stringify(root.toJSON())));
  });

  it('is loaded with the shared loader options', () => {
    const { includeDirs: _dirs, ...shared } = LOADER_OPTIONS;
    expect(AGENT_LOADER_OPTIONS).toEqual(shared);
  });
});
