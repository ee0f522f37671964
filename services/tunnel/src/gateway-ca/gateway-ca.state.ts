import type { GatewayCaPublished, EventOf } from '@edgeplane/contracts';

/** The platform's gateway CA: not yet made, or published (once; it is never replaced). */
export type GatewayCaState = { status: 'none' } | { status: 'published'; caHash: string };

export type GatewayCaEvent = EventOf<typeof GatewayCaPublished>;

export const initialGatewayCaState: GatewayCaState = { status: 'none' };

export function evolveGatewayCa(state: GatewayCaState, event: GatewayCaEvent): GatewayCaState {
  switch (event.type) {
    case 'GatewayCaPublished':
      return { status: 'published', caHash: event.data.caHash };
  }
}
