import { describe, expect, it } from 'vitest';
import { namesCriterion } from '../../src/format/criterion-name.js';

describe('namesCriterion', () => {
  it('takes rubric/criterion or the bare id, nothing else', () => {
    expect(namesCriterion('music/relevance', 'music', 'relevance')).toBe(true);
    expect(namesCriterion('relevance', 'music', 'relevance')).toBe(true);
    expect(namesCriterion('other/relevance', 'music', 'relevance')).toBe(false);
    expect(namesCriterion('music', 'music', 'relevance')).toBe(false);
    expect(namesCriterion('music/relevanc', 'music', 'relevance')).toBe(false);
    expect(namesCriterion('relevance/music', 'music', 'relevance')).toBe(false);
  });
});
