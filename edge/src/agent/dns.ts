import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { ServiceDirectory } from './discovery.js';
import type { AgentLogger } from './logger.js';

/**
 * A small DNS responder on the node (UDP, off unless `listen.dnsPort` is set) for this unit's
 * ServiceGrids: `<svc>.<ns>.svc.cluster.local` (and `<svc>.<ns>.svc`) answer A/AAAA records with
 * the Service's ready endpoints IN THIS UNIT, headless-style — the pods' own addresses, so a
 * client dials the pod's port (the Service's targetPort); there is no virtual IP on the node. The
 * order rotates per query. A cluster name with no ready endpoint, or that is no Service of this
 * unit, is NXDOMAIN at once; any other name is REFUSED: the responder never forwards a query, so
 * nothing leaves the unit. Answers fit the classic 512-byte UDP message (extra endpoints are left
 * out, not truncated); TTL 5 s, so a change of endpoints is seen within seconds.
 */

const TTL_SECONDS = 5;
const MAX_UDP = 512;
const TYPE_A = 1;
const TYPE_AAAA = 28;
const CLASS_IN = 1;
const RCODE = { ok: 0, formErr: 1, nxDomain: 3, notImp: 4, refused: 5 } as const;

interface Question {
  name: string;
  type: number;
  klass: number;
  /** the question's bytes (name, type, class), copied into the answer */
  raw: Buffer;
}

/** The one question of a standard query, or undefined when the message is not one. */
export function parseQuery(msg: Buffer): { id: number; flags: number; question?: Question } | undefined {
  if (msg.length < 12 || msg.length > MAX_UDP) return undefined;
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  if (msg.readUInt16BE(4) !== 1) return { id, flags };
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const len = msg[at];
    if (len === undefined || len > 63) return { id, flags }; // compression in a question: not ours
    at += 1;
    if (len === 0) break;
    if (at + len > msg.length) return { id, flags };
    labels.push(msg.toString('latin1', at, at + len));
    at += len;
  }
  if (at + 4 > msg.length) return { id, flags };
  const question = {
    name: labels.join('.'),
    type: msg.readUInt16BE(at),
    klass: msg.readUInt16BE(at + 2),
    raw: msg.subarray(12, at + 4),
  };
  return { id, flags, question };
}

/** The answer to one query (directory: this unit's Services). */
export function answerQuery(msg: Buffer, services: ServiceDirectory, turn: () => number): Buffer | undefined {
  const query = parseQuery(msg);
  if (!query) return undefined;
  const { id, flags, question } = query;
  const opcode = (flags >> 11) & 0xf;
  const reply = (rcode: number, answers: Buffer[] = []) => {
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    // QR, the query's opcode and RD, AA (we are the authority for these names), no RA
    header.writeUInt16BE(0x8000 | (opcode << 11) | 0x0400 | (flags & 0x0100) | rcode, 2);
    header.writeUInt16BE(question ? 1 : 0, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, question?.raw ?? Buffer.alloc(0), ...answers]);
  };
  if (opcode !== 0) return reply(RCODE.notImp);
  if (!question) return reply(RCODE.formErr);
  const found = services.lookup(question.name);
  // only cluster names, and never forwarded
  if (!found || !/\.svc(\.cluster\.local)?\.?$/i.test(question.name)) return reply(RCODE.refused);
  if ('unknown' in found || question.klass !== CLASS_IN) return reply(RCODE.nxDomain);
  const endpoints = found.service.endpoints;
  if (endpoints.length === 0) return reply(RCODE.nxDomain);
  const family = question.type === TYPE_A ? 4 : question.type === TYPE_AAAA ? 6 : 0;
  if (family === 0) return reply(RCODE.ok); // the name exists, no records of that type
  const ips = endpoints.map((e) => e.ip).filter((ip) => isIP(ip) === family);
  const start = ips.length > 0 ? turn() % ips.length : 0;
  const rotated = [...ips.slice(start), ...ips.slice(0, start)];
  const size = family === 4 ? 16 : 28;
  const room = Math.floor((MAX_UDP - 12 - question.raw.length) / size);
  return reply(
    RCODE.ok,
    rotated.slice(0, room).map((ip) => record(question.type, ipBytes(ip, family))),
  );
}

function record(type: number, data: Buffer): Buffer {
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // the question's name (offset 12)
  rr.writeUInt16BE(type, 2);
  rr.writeUInt16BE(CLASS_IN, 4);
  rr.writeUInt32BE(TTL_SECONDS, 6);
  rr.writeUInt16BE(data.length, 10);
  return Buffer.concat([rr, data]);
}

function ipBytes(ip: string, family: 4 | 6): Buffer {
  if (family === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = ip.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

export function startDnsResponder(options: {
  host: string;
  port: number;
  services: ServiceDirectory;
  logger: AgentLogger;
}): Promise<dgram.Socket> {
  const type = isIP(options.host) === 6 ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type, reuseAddr: false });
  let n = 0;
  socket.on('message', (msg, from) => {
    let answer: Buffer | undefined;
    try {
      answer = answerQuery(msg, options.services, () => n++);
    } catch (error) {
      options.logger.debug({ err: (error as Error).message }, 'dns query not answered');
    }
    if (answer) socket.send(answer, from.port, from.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      socket.on('error', (error) => options.logger.warn({ err: error.message }, 'dns responder error'));
      resolve(socket);
    });
  });
}
