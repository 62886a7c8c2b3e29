import { describe, expect, it } from 'vitest';
import { serverList } from './connect-as';

describe('serverList', () => {
  it('given one URL, then a list of one', () => {
    expect(serverList('nats://127.0.0.1:4333')).toEqual(['nats://127.0.0.1:4333']);
  });

  it('given a cluster, comma-separated with stray spaces, then each server once', () => {
    expect(serverList(' nats://a:4222, nats://b:4222 ,nats://c:4222,')).toEqual([
      'nats://a:4222',
      'nats://b:4222',
      'nats://c:4222',
    ]);
  });
});
