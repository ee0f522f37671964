import { IllegalStateError } from '@edgeplane/es-kit';
import type { GatewayCaEvent, GatewayCaState } from './gateway-ca.state.js';

/** Publish the CA made at first start; the pins are computed by the handler (crypto is I/O-free but not pure data). */
export interface PublishGatewayCa {
  type: 'PublishGatewayCa';
  caCertPem: string;
  caHash: string;
  servingKeyPin: string;
  notAfter: string;
  at: string;
}

export type GatewayCaCommand = PublishGatewayCa;

/**
 * The CA is published once. Publishing the same CA again is a no-op (a replica racing the first
 * start); a different one is refused: nodes pinned the first, so it can never be swapped silently.
 */
export function decideGatewayCa(command: GatewayCaCommand, state: GatewayCaState): GatewayCaEvent[] {
  switch (command.type) {
    case 'PublishGatewayCa': {
      if (state.status === 'published') {
        if (state.caHash === command.caHash) return [];
        throw new IllegalStateError(
          `the gateway CA ${state.caHash} is already published; it is never replaced`,
        );
      }
      return [
        {
          type: 'GatewayCaPublished',
          data: {
            caCertPem: command.caCertPem,
            caHash: command.caHash,
            servingKeyPin: command.servingKeyPin,
            notAfter: command.notAfter,
            publishedAt: command.at,
          },
        },
      ];
    }
  }
}
