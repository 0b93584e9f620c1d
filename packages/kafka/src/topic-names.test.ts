import { describe, expect, it } from 'vitest';
import { UnknownInputTopicError } from './kafka-errors.js';
import { inputTopic } from './kafka-event-source.js';
import { topicNames } from './topic-names.js';

describe('topicNames', () => {
  it('prefixes every catalogue topic', () => {
    expect(topicNames().ticksAshare).toBe('indexflow.ticks.ashare');
    expect(topicNames('staging.')).toMatchObject({
      fx: 'staging.indexflow.fx',
      deadLetter: 'staging.indexflow.dead-letter',
    });
  });
});

describe('inputTopic', () => {
  it('infers the schema of a (prefixed) catalogue input topic', () => {
    expect(inputTopic('staging.indexflow.ticks.hk')).toEqual({
      name: 'staging.indexflow.ticks.hk',
      schema: 'market-tick',
    });
    expect(inputTopic('indexflow.fx').schema).toBe('fx-rate');
    expect(inputTopic('indexflow.index-adjustments').schema).toBe('index-adjustment');
    expect(() => inputTopic('indexflow.index-levels')).toThrow(UnknownInputTopicError);
  });
});
