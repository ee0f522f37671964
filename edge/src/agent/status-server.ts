import net from 'node:net';

/**
 * Local status for edgectl and operators on the node: GET /healthz, GET /status (JSON). Plain
 * HTTP/1.1 over `net`, one request per connection: two routes do not need node:http, whose
 * loading alone costs an idle agent ~4 MB.
 */
export function startStatusServer(host: string, port: number, status: () => unknown): Promise<net.Server> {
  const server = net.createServer((socket) => {
    let head = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      if (head.length > 8192) return socket.destroy();
      if (!head.includes('\r\n\r\n')) return;
      const [method, url] = head.split('\r\n', 1)[0]!.split(' ');
      const reply = (code: string, type: string, body: string) =>
        socket.end(
          `HTTP/1.1 ${code}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      if (method === 'GET' && url === '/healthz') reply('200 OK', 'text/plain', 'ok\n');
      else if (method === 'GET' && url === '/status')
        reply('200 OK', 'application/json', JSON.stringify(status(), null, 2) + '\n');
      else reply('404 Not Found', 'text/plain', 'not found\n');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
