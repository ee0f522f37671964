import { describe, expect, it } from 'vitest';
import { DeciderSpecification, IllegalStateError, ValidationError, fold } from '@edgeplane/es-kit';
import { healthSettingsDecider, type HealthSettingsEvent } from '../src/settings/settings.decider.js';
import { DEFAULT_HEALTH_SETTINGS } from '../src/settings/settings.state.js';

const spec = DeciderSpecification(healthSettingsDecider);
const now = '2026-03-01T10:00:00.000Z';
const later = '2026-03-01T10:05:00.000Z';

function changed(
  data: Partial<Extract<HealthSettingsEvent, { type: 'HealthSettingsChanged' }>['data']>,
): HealthSettingsEvent {
  return {
    type: 'HealthSettingsChanged',
    data: {
      clusterId: 'c1',
      multiRegion: false,
      noEviction: false,
      graceSeconds: 40,
      voteTtlSeconds: 60,
      changed: ['multiRegion'],
      actor: 'alice',
      at: now,
      ...data,
    },
  };
}
const multiRegionOn = changed({ multiRegion: true, changed: ['multiRegion'] });
const noEvictionOn = changed({ noEviction: true, changed: ['noEviction'] });

describe('health settings decider: ConfigureHealth', () => {
  it('defaults: single region, eviction allowed, grace 40 s, vote TTL 60 s, every unit switched on', () => {
    expect(healthSettingsDecider.initialState.settings).toEqual({
      multiRegion: false,
      noEviction: false,
      graceSeconds: 40,
      voteTtlSeconds: 60,
      disabledUnits: [],
    });
  });

  it('turns multi-region on and records the actor and the full settings', () => {
    spec
      .given([])
      .when({ type: 'ConfigureHealth', clusterId: 'c1', multiRegion: true, actor: 'alice', now })
      .then([multiRegionOn]);
  });

  it('a partial change keeps the other settings and names only what changed', () => {
    spec
      .given([multiRegionOn])
      .when({
        type: 'ConfigureHealth',
        clusterId: 'c1',
        graceSeconds: 1,
        voteTtlSeconds: 5,
        actor: 'bob',
        now: later,
      })
      .then([
        changed({
          multiRegion: true,
          graceSeconds: 1,
          voteTtlSeconds: 5,
          changed: ['graceSeconds', 'voteTtlSeconds'],
          actor: 'bob',
          at: later,
        }),
      ]);
  });

  it('is idempotent: asking for the settings already in force changes nothing', () => {
    spec
      .given([multiRegionOn])
      .when({
        type: 'ConfigureHealth',
        clusterId: 'c1',
        multiRegion: true,
        graceSeconds: 40,
        actor: 'bob',
        now: later,
      })
      .thenNothingHappens();
  });

  it('refuses enabling global no-eviction and multi-region in one request, naming both', () => {
    const error = spec
      .given([])
      .when({
        type: 'ConfigureHealth',
        clusterId: 'c1',
        multiRegion: true,
        noEviction: true,
        actor: 'alice',
        now,
      })
      .thenThrows<ValidationError>(ValidationError);
    expect(error.violations.map((v) => v.field).sort()).toEqual(['multiRegion', 'noEviction']);
    for (const v of error.violations)
      expect(v.description).toMatch(/no-eviction and multi-region are mutually exclusive/);
  });

  it('refuses enabling global no-eviction while multi-region is on, naming both', () => {
    spec
      .given([multiRegionOn])
      .when({ type: 'ConfigureHealth', clusterId: 'c1', noEviction: true, actor: 'bob', now: later })
      .thenThrows(
        IllegalStateError,
        (e) => /cannot enable global no-eviction/.test(e.message) && /multi-region is on/.test(e.message),
      );
  });

  it('refuses enabling multi-region while global no-eviction is on, naming both', () => {
    spec
      .given([noEvictionOn])
      .when({ type: 'ConfigureHealth', clusterId: 'c1', multiRegion: true, actor: 'bob', now: later })
      .thenThrows(
        IllegalStateError,
        (e) => /cannot enable multi-region/.test(e.message) && /global no-eviction is on/.test(e.message),
      );
  });

  it('switching from no-eviction to multi-region in one request is allowed', () => {
    spec
      .given([noEvictionOn])
      .when({
        type: 'ConfigureHealth',
        clusterId: 'c1',
        multiRegion: true,
        noEviction: false,
        actor: 'bob',
        now: later,
      })
      .then([
        changed({
          multiRegion: true,
          noEviction: false,
          changed: ['multiRegion', 'noEviction'],
          actor: 'bob',
          at: later,
        }),
      ]);
  });

  it.each([0, -5, 1.5, 3601])(
    'refuses a grace period of %s seconds (whole seconds, 1 to 3600)',
    (graceSeconds) => {
      spec
        .given([])
        .when({ type: 'ConfigureHealth', clusterId: 'c1', graceSeconds, actor: 'alice', now })
        .thenThrows<ValidationError>(
          ValidationError,
          (e) =>
            e.violations[0]?.field === 'graceSeconds' &&
            e.violations[0].description.includes(`got ${graceSeconds}`),
        );
    },
  );

  it('accepts the 1 s grace period tests need', () => {
    spec
      .given([])
      .when({ type: 'ConfigureHealth', clusterId: 'c1', graceSeconds: 1, actor: 'alice', now })
      .then([changed({ graceSeconds: 1, changed: ['graceSeconds'] })]);
  });

  it.each([0, 0.5, 7200])('refuses a vote TTL of %s seconds', (voteTtlSeconds) => {
    spec
      .given([])
      .when({ type: 'ConfigureHealth', clusterId: 'c1', voteTtlSeconds, actor: 'alice', now })
      .thenThrows<ValidationError>(ValidationError, (e) => e.violations[0]?.field === 'voteTtlSeconds');
  });

  it('refuses a change without an actor', () => {
    spec
      .given([])
      .when({ type: 'ConfigureHealth', clusterId: 'c1', multiRegion: true, actor: ' ', now })
      .thenThrows<ValidationError>(ValidationError, (e) => e.violations.some((v) => v.field === 'actor'));
  });

  it('refuses a command addressed to another cluster than the stream holds', () => {
    spec
      .given([multiRegionOn])
      .when({ type: 'ConfigureHealth', clusterId: 'c2', graceSeconds: 10, actor: 'bob', now })
      .thenThrows<ValidationError>(
        ValidationError,
        (e) => e.violations[0]?.field === 'clusterId' && /"c2".*"c1"/.test(e.violations[0].description),
      );
  });
});

describe('health settings decider: SetUnitHealthCheck', () => {
  const off: HealthSettingsEvent = {
    type: 'UnitHealthCheckSwitched',
    data: { clusterId: 'c1', unit: 'gz', enabled: false, actor: 'alice', at: now },
  };

  it('switches a unit off, recording the actor', () => {
    spec
      .given([])
      .when({ type: 'SetUnitHealthCheck', clusterId: 'c1', unit: 'gz', enabled: false, actor: 'alice', now })
      .then([off]);
  });

  it('switches it back on', () => {
    spec
      .given([off])
      .when({
        type: 'SetUnitHealthCheck',
        clusterId: 'c1',
        unit: 'gz',
        enabled: true,
        actor: 'bob',
        now: later,
      })
      .then([
        {
          type: 'UnitHealthCheckSwitched',
          data: { clusterId: 'c1', unit: 'gz', enabled: true, actor: 'bob', at: later },
        },
      ]);
  });

  it('a unit never switched is on: switching it on changes nothing', () => {
    spec
      .given([])
      .when({ type: 'SetUnitHealthCheck', clusterId: 'c1', unit: 'gz', enabled: true, actor: 'alice', now })
      .thenNothingHappens();
  });

  it('switching off an already-off unit changes nothing', () => {
    spec
      .given([off])
      .when({
        type: 'SetUnitHealthCheck',
        clusterId: 'c1',
        unit: 'gz',
        enabled: false,
        actor: 'bob',
        now: later,
      })
      .thenNothingHappens();
  });

  it('refuses the default unit unit-node-all, which is not a site', () => {
    spec
      .given([])
      .when({
        type: 'SetUnitHealthCheck',
        clusterId: 'c1',
        unit: 'unit-node-all',
        enabled: false,
        actor: 'alice',
        now,
      })
      .thenThrows<ValidationError>(
        ValidationError,
        (e) => e.violations[0]?.field === 'unit' && /unit-node-all/.test(e.message),
      );
  });

  it('refuses an empty unit name', () => {
    spec
      .given([])
      .when({ type: 'SetUnitHealthCheck', clusterId: 'c1', unit: '', enabled: false, actor: 'alice', now })
      .thenThrows<ValidationError>(ValidationError, (e) => e.violations[0]?.field === 'unit');
  });

  it('the folded state keeps the switched-off units and the last actor', () => {
    const other: HealthSettingsEvent = {
      type: 'UnitHealthCheckSwitched',
      data: { clusterId: 'c1', unit: 'bj', enabled: false, actor: 'carol', at: later },
    };
    const state = fold(healthSettingsDecider, [off, other, multiRegionOn]);
    expect(state).toMatchObject({
      status: 'configured',
      clusterId: 'c1',
      settings: { ...DEFAULT_HEALTH_SETTINGS, multiRegion: true, disabledUnits: ['bj', 'gz'] },
      changedBy: 'alice',
    });
  });
});
