import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/engine/slots.js';

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('Slots', () => {
  it('takes places without waiting up to the limit, then queues first come first served', async () => {
    const slots = new Slots(2);
    expect(slots.tryEnter()).toBe(true);
    expect(await settled(slots.enter())).toBe(true);
    expect(slots.inUse).toBe(2);
    expect(slots.tryEnter()).toBe(false);
    const order: string[] = [];
    const first = slots.enter().then(() => order.push('first'));
    const second = slots.enter().then(() => order.push('second'));
    slots.leave();
    await first;
    expect(order).toEqual(['first']);
    // A place given to a waiter stays taken: still two in use.
    expect(slots.inUse).toBe(2);
    slots.leave();
    await second;
    expect(order).toEqual(['first', 'second']);
    slots.leave();
    slots.leave();
    expect(slots.inUse).toBe(0);
  });

  it('never lets tryEnter overtake a waiter', async () => {
    const slots = new Slots(1);
    expect(slots.tryEnter()).toBe(true);
    const waiter = slots.enter();
    slots.leave();
    // The place went to the waiter, not to whoever asks next.
    expect(slots.tryEnter()).toBe(false);
    expect(await settled(waiter)).toBe(true);
  });

  it('follows a lower limit as places are left, and lets waiters in at once under a higher one', async () => {
    const slots = new Slots(3);
    for (let i = 0; i < 3; i++) expect(slots.tryEnter()).toBe(true);
    slots.limit = 1;
    const waiter = slots.enter();
    slots.leave();
    slots.leave();
    expect(await settled(waiter)).toBe(false);
    expect(slots.inUse).toBe(1);
    slots.leave();
    expect(await settled(waiter)).toBe(true);
    expect(slots.inUse).toBe(1);
    const more = [slots.enter(), slots.enter(), slots.enter()];
    slots.limit = 3;
    expect(await Promise.all(more.map(settled))).toEqual([true, true, false]);
    expect(slots.inUse).toBe(3);
    expect(slots.limit).toBe(3);
    // The last waiter gets the next place left; then, raised with no one waiting, there is nothing to let in and the
    // places held stay as they are.
    slots.leave();
    await Promise.all(more);
    slots.leave();
    slots.limit = 10;
    expect(slots.inUse).toBe(2);
    expect(slots.tryEnter()).toBe(true);
    expect(slots.inUse).toBe(3);
  });
});
