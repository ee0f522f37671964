/**
 * What every NodeUnit and NodeGroup command carries: the aggregate it addresses and the time the
 * handler read from its clock (a decider never reads one).
 */
export interface Addressed {
  clusterId: string;
  name: string;
  now: string;
}
