import { describe, expect, it } from 'vitest';
import { createKeyLayout } from './key-layout.js';
import { promoteArguments } from './promote-arguments.js';

describe('promoteArguments', () => {
  it('lists fixed keys, then one key per entry, with member, width and pairs in ARGV', () => {
    const keys = createKeyLayout({ calculatorId: 'c', prefix: 'p' });
    const call = promoteArguments(keys, 3, 'd1', {
      indices: [{ member: 'i1', fields: { level: '1', version: '3' } }],
      symbols: [{ member: 's1', fields: { lastEventTime: '5' } }],
      fx: [],
    });
    expect(call.keys).toEqual([
      'p:{c}:snapshot:committed',
      'p:{c}:snapshot:pending',
      'p:{c}:indices',
      'p:{c}:symbols',
      'p:{c}:fx-pairs',
      'p:{c}:index:i1',
      'p:{c}:symbol:s1',
    ]);
    expect(call.args).toEqual([
      '3',
      'd1',
      'p:{c}:index:',
      'p:{c}:symbol:',
      'p:{c}:fx:',
      '1',
      '1',
      '0',
      'i1',
      '4',
      'level',
      '1',
      'version',
      '3',
      's1',
      '2',
      'lastEventTime',
      '5',
    ]);
  });
});
