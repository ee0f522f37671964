// Container health check: grpc.health.v1 Check ("" = the whole server) on 127.0.0.1:$GRPC_PORT.
// Plain JavaScript on purpose (no tsx compile every few seconds). Exit 0 only when SERVING.
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../proto');
const def = protoLoader.loadSync('grpc/health/v1/health.proto', { includeDirs: [root], enums: String });
const { Health } = grpc.loadPackageDefinition(def).grpc.health.v1;
const address = `127.0.0.1:${process.env.GRPC_PORT ?? '50051'}`;
// TLS only on the services' ports; health needs no client certificate (server not verified: a probe)
const client = new Health(
  address,
  grpc.credentials.createFromSecureContext(tls.createSecureContext(), { rejectUnauthorized: false }),
);
client.Check({ service: '' }, { deadline: Date.now() + 5000 }, (err, res) => {
  const status = err ? `${grpc.status[err.code]}: ${err.details}` : res.status;
  console.log(`${address} ${status}`);
  client.close();
  process.exit(status === 'SERVING' ? 0 : 1);
});
