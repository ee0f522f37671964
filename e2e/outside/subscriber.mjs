#!/usr/bin/env node
// An outside program (issue 14's e2e): a plain Node script that uses no Edgeplane code, only what
// the platform publishes — the AsyncAPI document (GET /asyncapi.yaml of the events service), the
// events API's .proto and a credential file (YAML: ca, certificate, key). It subscribes to the public
// events over NATS (core subscriptions on the public channels' addresses) and over gRPC
// (EventService.Subscribe), and prints one JSON line per event it receives:
//   {"via":"nats"|"grpc","id":…,"type":…,"cursor"?:…}   plus {"ready":"nats"|"grpc"} once subscribed.
// The gRPC subscription is cut after CUT_AFTER events and resumed from the last cursor it printed.
// Env: ASYNCAPI_URL, EVENTS_ADDR, EVENTS_PROTO, CREDENTIALS, NATS_URL, SUBJECT_PREFIX ('' or '<env>.'),
//      CLUSTER, CUT_AFTER.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { connect } from '@nats-io/transport-node';
import { parse } from 'yaml';

const env = process.env;
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

// 1. What is public, from the document alone
const doc = parse(await (await fetch(env.ASYNCAPI_URL)).text());
const publicAddresses = Object.values(doc.channels)
  .filter((c) => c['x-edgeplane-visibility'] === 'public')
  .map((c) => c.address);

// 2. NATS: the public subjects
const nc = await connect({ servers: env.NATS_URL });
for (const address of publicAddresses) {
  const sub = nc.subscribe(`${env.SUBJECT_PREFIX ?? ''}${address}`);
  void (async () => {
    for await (const m of sub) {
      const e = m.json();
      if (e.data?.clusterId === env.CLUSTER) out({ via: 'nats', id: e.id, type: e.type });
    }
  })();
}
await nc.flush();
out({ ready: 'nats', channels: publicAddresses.length });

// 3. gRPC: Subscribe, cut after CUT_AFTER events, resume from the last cursor
const def = protoLoader.loadSync(env.EVENTS_PROTO, {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const EventService = grpc.loadPackageDefinition(def).edgeplane.events.v1.EventService;
const cred = parse(readFileSync(env.CREDENTIALS, 'utf8'));
const client = new EventService(
  env.EVENTS_ADDR,
  grpc.credentials.createSsl(Buffer.from(cred.ca), Buffer.from(cred.key), Buffer.from(cred.certificate)),
);
const cutAfter = Number(env.CUT_AFTER ?? 2);
let cursor;
let seen = 0;
function subscribe(from) {
  const call = client.Subscribe({ filter: { cluster: env.CLUSTER }, ...from });
  call.on('data', (m) => {
    if (!m.event) {
      if (!cursor) cursor = m.cursor;
      return out({ ready: 'grpc' });
    }
    cursor = m.cursor;
    out({ via: 'grpc', id: m.event.id, type: m.event.type, cursor: m.cursor });
    if (++seen === cutAfter) {
      call.cancel(); // disconnect mid-stream
      out({ cut: seen });
      setTimeout(() => subscribe({ cursor }), 300);
    }
  });
  call.on('error', (e) => {
    if (e.code !== grpc.status.CANCELLED) out({ error: e.message });
  });
}
subscribe({ now: true });
process.on('SIGTERM', () => {
  client.close();
  void nc.close().then(() => process.exit(0));
});
