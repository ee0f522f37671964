import { describe, expect, it } from 'vitest';
import { parseDuration, parseLabelArgs, parseSwitch, parseTaintArgs } from '../src/commands/cluster-args.js';

describe('cluster CLI argument parsing (kubectl syntax)', () => {
  it('parses durations for --expires', () => {
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1d')).toBe(86_400);
    expect(parseDuration('600')).toBe(600);
    expect(() => parseDuration('2 hours')).toThrow(/not a duration/);
    expect(() => parseDuration('')).toThrow(/not a duration/);
  });

  it('parses label arguments: key=value sets, key- removes', () => {
    expect(parseLabelArgs(['env=prod', 'tier=', 'old-', 'example.com/x=y'])).toEqual({
      set: { env: 'prod', tier: '', 'example.com/x': 'y' },
      remove: ['old'],
    });
    expect(() => parseLabelArgs(['justakey'])).toThrow(/neither key=value nor key-/);
    expect(() => parseLabelArgs(['=v'])).toThrow(/neither/);
  });

  it('parses taint arguments: key[=value]:Effect sets, key[:Effect]- removes', () => {
    expect(
      parseTaintArgs(['dedicated=gpu:NoSchedule', 'spot:PreferNoSchedule', 'a:NoExecute-', 'b-']),
    ).toEqual({
      set: [
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'spot', value: '', effect: 'PreferNoSchedule' },
      ],
      remove: [{ key: 'a', effect: 'NoExecute' }, { key: 'b' }],
    });
    expect(() => parseTaintArgs(['dedicated=gpu'])).toThrow(/key\[=value\]:Effect/);
  });

  it('parses on/off switches', () => {
    expect(parseSwitch('on')).toBe(true);
    expect(parseSwitch('OFF')).toBe(false);
    expect(parseSwitch('true')).toBe(true);
    expect(() => parseSwitch('maybe')).toThrow(/not on or off/);
  });
});
