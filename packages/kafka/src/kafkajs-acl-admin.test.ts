import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsAclEntry } from './kafkajs-acl-admin.js';

describe('kafkajsAclEntry', () => {
  it('maps a grant to an ALLOW binding from any host, with kafkajs’s codes', () => {
    expect(
      kafkajsAclEntry({
        principal: 'User:calc',
        resourceType: 'transactional-id',
        patternType: 'prefixed',
        resourceName: 'indexflow-calculator-main',
        operation: 'write',
      }),
    ).toEqual({
      principal: 'User:calc',
      host: '*',
      resourceType: AclResourceTypes.TRANSACTIONAL_ID,
      resourceName: 'indexflow-calculator-main',
      resourcePatternType: ResourcePatternTypes.PREFIXED,
      operation: AclOperationTypes.WRITE,
      permissionType: AclPermissionTypes.ALLOW,
    });
    const entry = kafkajsAclEntry({
      principal: 'User:gw',
      resourceType: 'group',
      patternType: 'literal',
      resourceName: 'g',
      operation: 'delete',
    });
    expect([entry.resourceType, entry.resourcePatternType, entry.operation]).toEqual([
      AclResourceTypes.GROUP,
      ResourcePatternTypes.LITERAL,
      AclOperationTypes.DELETE,
    ]);
  });
});
