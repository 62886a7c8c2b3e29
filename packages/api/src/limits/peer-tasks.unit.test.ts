import { describe, expect, it } from 'vitest';
import { PeerTasks } from './peer-tasks';

describe('PeerTasks', () => {
  it('keeps each peer’s tasks apart and drops those seen to have ended', () => {
    const tasks = new PeerTasks();
    tasks.add('a', 't1');
    tasks.add('a', 't2');
    tasks.add('b', 't3');
    expect(tasks.of('a')).toEqual(['t1', 't2']);
    tasks.forget('a', ['t1', 'unknown']);
    expect(tasks.of('a')).toEqual(['t2']);
    expect(tasks.of('b')).toEqual(['t3']);
    tasks.forget('a', ['t2']);
    expect(tasks.of('a')).toEqual([]);
  });

  it('holds at most maxPeers peers: the one recorded longest ago is forgotten first', () => {
    const tasks = new PeerTasks(2);
    tasks.add('a', 't1');
    tasks.add('b', 't2');
    tasks.add('c', 't3');
    expect([tasks.of('a'), tasks.of('b'), tasks.of('c')]).toEqual([[], ['t2'], ['t3']]);
  });
});
