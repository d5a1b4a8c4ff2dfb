import { describe, expect, it } from 'vitest';
import { baseSlot, twinSlot } from '../src/quote-slot.js';

describe('a quote slot and its make-before-break twin', () => {
  it('maps both names to the base and the base to its twin', () => {
    expect(baseSlot('bid-0')).toBe('bid-0');
    expect(baseSlot('bid-0-r')).toBe('bid-0');
    expect(twinSlot('ask-1')).toBe('ask-1-r');
    expect(baseSlot(twinSlot('ask-1'))).toBe('ask-1');
  });
});
