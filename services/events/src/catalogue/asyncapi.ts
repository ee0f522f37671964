import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  catalogue,
  isPublicEvent,
  STREAMS,
  streamOfSubject,
  type EventDefinition,
  EnvelopeSchema,
} from '@edgeplane/contracts';
import { stringify } from 'yaml';
import { z } from 'zod';

/**
 * The event catalogue as an AsyncAPI 3.0 document: one channel per subject, one message per event
 * type and version (payload = the envelope with `data` = the zod schema as JSON Schema), which
 * service emits it, whether it is public (stable, versioned, for subscribers) or internal.
 * `scripts/asyncapi.mjs` writes it to docs/events/asyncapi.yaml (checked for drift in CI:
 * `npm run events:check`); the events service serves that file at /asyncapi.yaml.
 */
export interface AsyncApiOptions {
  /** event key `<Type>@v<version>` → human description (the JSDoc above its defineEvent) */
  descriptions?: ReadonlyMap<string, string>;
}

const keyOf = (d: EventDefinition) => `${d.type}@v${d.version}`;
const messageId = (d: EventDefinition) => `${d.type}.v${d.version}`;
const channelId = (subject: string) => subject.replace(/^edgeplane\./, '').replace(/[.]/g, '-');

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input', target: 'draft-7' });
}

/** The envelope's JSON Schema without `data` (each message puts its own there). */
function envelopeSchema(): Record<string, unknown> {
  const s = jsonSchema(EnvelopeSchema) as { properties: Record<string, unknown>; $schema?: string };
  delete s.$schema;
  return s;
}

export function asyncApiDocument(options: AsyncApiOptions = {}): Record<string, unknown> {
  const defs = [...catalogue.all()]
    .filter((d) => d.subject.startsWith('edgeplane.'))
    .sort(
      (a, b) => a.subject.localeCompare(b.subject) || a.type.localeCompare(b.type) || a.version - b.version,
    );
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const bySubject = new Map<string, EventDefinition[]>();
  for (const d of defs) bySubject.set(d.subject, [...(bySubject.get(d.subject) ?? []), d]);

  for (const [subject, list] of bySubject) {
    const id = channelId(subject);
    const isPublic = list.some((d) => isPublicEvent(d.type));
    const stream = streamOfSubject(subject);
    channels[id] = {
      address: subject,
      title: list[0]!.type,
      description:
        `${isPublic ? 'Public' : 'Internal'} events of the ${list[0]!.emitter} service on JetStream stream ` +
        `${stream.name} (with EDGEPLANE_ENV=<env>: subject <env>.${subject}, stream <env>_${stream.name}).`,
      messages: Object.fromEntries(
        list.map((d) => [messageId(d), { $ref: `#/components/messages/${messageId(d)}` }]),
      ),
      'x-edgeplane-visibility': isPublic ? 'public' : 'internal',
      'x-edgeplane-stream': stream.name,
    };
    operations[`receive-${id}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      summary: `${list[0]!.type} (${isPublic ? 'public' : 'internal'})`,
      ...(isPublic ? { security: [{ $ref: '#/components/securitySchemes/subscriber' }] } : {}),
      messages: list.map((d) => ({ $ref: `#/channels/${id}/messages/${messageId(d)}` })),
    };
    for (const d of list) {
      const latest = catalogue.latestVersion(d.type);
      const data = jsonSchema(d.schema) as Record<string, unknown>;
      delete data.$schema;
      const envelope = envelopeSchema() as { properties: Record<string, unknown>; required?: string[] };
      messages[messageId(d)] = {
        name: d.type,
        title: `${d.type} v${d.version}`,
        summary: firstSentence(options.descriptions?.get(keyOf(d))) ?? d.type,
        ...(options.descriptions?.get(keyOf(d)) ? { description: options.descriptions.get(keyOf(d)) } : {}),
        contentType: 'application/json',
        headers: {
          type: 'object',
          properties: {
            'Nats-Msg-Id': { type: 'string', description: 'the event id (dedupe key)' },
          },
        },
        payload: {
          ...envelope,
          properties: {
            ...envelope.properties,
            type: { const: d.type },
            version: { const: d.version },
            data,
          },
        },
        'x-edgeplane-version': d.version,
        'x-edgeplane-latest-version': latest,
        'x-edgeplane-emitter': d.emitter,
        'x-edgeplane-visibility': isPublicEvent(d.type) ? 'public' : 'internal',
        ...(d.upcast ? { 'x-edgeplane-upcast-to': d.version + 1 } : {}),
      };
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Edgeplane events',
      version: '1.0.0',
      description: [
        'Domain events of the Edgeplane services, generated from libs/contracts (do not edit: run',
        '`node scripts/asyncapi.mjs`). Every message is a JSON envelope {id, type, version, streamId,',
        'streamPosition, globalPosition, occurredAt, data, metadata}; `id` is the dedupe key.',
        '',
        'Visibility: channels and messages marked `x-edgeplane-visibility: public` are the public API —',
        'stable and versioned, readable with the `subscriber` role over NATS (read-only credentials on',
        'the public subjects), gRPC `edgeplane.events.v1.EventService/Subscribe` and webhooks',
        '(CloudEvents 1.0, `type` = `io.edgeplane.<Type>.v<version>`; one structured event per POST,',
        'or opt-in per webhook the batched mode: `application/cloudevents-batch+json`, a JSON array of',
        'structured events in order, one signature over the array). Internal ones may change at any time.',
        '',
        'Evolution: a new version of a public event never breaks a subscriber of the old one. The old',
        'version keeps an upcast to the new one (`x-edgeplane-upcast-to`); readers of the store and of',
        'the events API see the newest version; a change that cannot be read as the old version is a new',
        'event type. Order: total per JetStream stream (one per service), hence per aggregate stream.',
        'Delivery: at least once; dedupe on `id`.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: '127.0.0.1:4222',
        protocol: 'nats',
        description:
          'NATS JetStream of the platform (streams: ' +
          Object.values(STREAMS)
            .map((s) => s.name)
            .join(', ') +
          ')',
        security: [{ $ref: '#/components/securitySchemes/subscriber' }],
      },
    },
    channels,
    operations,
    components: {
      messages,
      securitySchemes: {
        subscriber: {
          type: 'X509',
          description:
            'A client certificate whose O is edgeplane:subscribers (role subscriber): public events only, no publish rights.',
        },
      },
    },
  };
}

export function asyncApiYaml(options: AsyncApiOptions = {}): string {
  return stringify(asyncApiDocument(options), { lineWidth: 0, aliasDuplicateObjects: false });
}

function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = text.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Descriptions from the JSDoc above each `defineEvent` in libs/contracts/src/events (the source
 * is the only place they live; the generator script reads them, never a running service).
 */
export function readEventDescriptions(eventsDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const pattern =
    /\/\*\*([\s\S]*?)\*\/\s*export const \w+ = defineEvent\(\{\s*type: '(\w+)',\s*version: (\d+),/g;
  for (const folder of readdirSync(eventsDir).sort()) {
    let files: string[];
    try {
      files = readdirSync(path.join(eventsDir, folder)).sort();
    } catch {
      continue;
    }
    for (const file of files.filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(eventsDir, folder, file), 'utf8');
      for (const m of text.matchAll(pattern)) {
        const doc = m[1]!
          .split('\n')
          .map((l) => l.replace(/^\s*\*\s?/, '').trimEnd())
          .join('\n')
          .trim();
        out.set(`${m[2]}@v${m[3]}`, doc);
      }
    }
  }
  return out;
}
