import http from 'node:http';

/** Local status for edgectl and operators on the node: GET /healthz, GET /status (JSON). */
export function startStatusServer(host: string, port: number, status: () => unknown): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (req.method === 'GET' && req.url === '/status') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(status(), null, 2) + '\n');
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
