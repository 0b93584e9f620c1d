import { describe, expect, it } from 'vitest';
import { ACL_ROLES, type AclGrant, AclPlanError, aclPlan, aclPrincipal, formatAclGrant } from './acl-plan.js';
import { calculatorGroupId, gatewayClientId, readerGroupId } from './client-group-ids.js';
import { topicNames } from './topic-names.js';

const PRINCIPALS = {
  calculator: 'calc',
  'corporate-actions': 'User:ca',
  gateway: 'gw',
  feed: 'feed',
  operator: 'ops',
} as const;
const OPTIONS = {
  topicPrefix: 'st.',
  calculatorId: 'main',
  corporateActionsId: 'main',
  gatewayId: 'gateway',
  principals: PRINCIPALS,
};
const plan = aclPlan(OPTIONS);
const topics = topicNames('st.');

/** Whether some grant of the plan allows `principal` to do `operation` on the topic `name`. */
function allowsTopic(grants: readonly AclGrant[], principal: string, operation: string, name: string) {
  return grants.some(
    (g) =>
      g.principal === principal &&
      g.resourceType === 'topic' &&
      g.operation === operation &&
      (g.patternType === 'literal' ? g.resourceName === name : name.startsWith(g.resourceName)),
  );
}

describe('aclPlan', () => {
  it('lets the calculator alone write the level topics the gateway serves', () => {
    for (const topic of [topics.indexLevels, topics.indexLevelsFast, topics.indexLevelsConflated]) {
      const writers = ACL_ROLES.map((role) => aclPrincipal(PRINCIPALS[role])).filter((p) =>
        allowsTopic(plan, p, 'write', topic),
      );
      expect(writers, topic).toEqual(['User:calc']);
    }
  });

  it('lets the gateway read the committed and fast levels and write nothing', () => {
    const gateway = plan.filter((g) => g.principal === 'User:gw');
    expect(gateway.filter((g) => g.operation === 'write')).toEqual([]);
    expect(allowsTopic(gateway, 'User:gw', 'read', topics.indexLevels)).toBe(true);
    expect(allowsTopic(gateway, 'User:gw', 'read', topics.indexLevelsFast)).toBe(true);
    expect(allowsTopic(gateway, 'User:gw', 'read', topics.ticksAshare)).toBe(false);
    // Its readers' throw-away groups are named from its client id.
    const readerGroup = readerGroupId(gatewayClientId('gateway'));
    expect(
      gateway.some(
        (g) => g.resourceType === 'group' && g.operation === 'read' && readerGroup.startsWith(g.resourceName),
      ),
    ).toBe(true);
  });

  it('grants each writer only its own topics', () => {
    const writes = (principal: string) =>
      plan
        .filter((g) => g.principal === principal && g.operation === 'write' && g.resourceType === 'topic')
        .map((g) => g.resourceName)
        .sort();
    expect(writes('User:feed')).toEqual([topics.fx, topics.fxRaw, topics.ticksAshare, topics.ticksHk].sort());
    expect(writes('User:ca')).toEqual([topics.deadLetter, topics.fx, topics.indexAdjustments].sort());
    expect(writes('User:ops')).toEqual([topics.corporateActions, topics.indexLevelsRecompute].sort());
  });

  it('covers the calculator’s shard groups and transactional ids under its prefixed group', () => {
    const group = calculatorGroupId('st.', 'main');
    const calc = plan.filter((g) => g.principal === 'User:calc' && g.resourceType !== 'topic');
    expect(calc).toEqual([
      {
        principal: 'User:calc',
        resourceType: 'group',
        patternType: 'prefixed',
        resourceName: group,
        operation: 'read',
      },
      {
        principal: 'User:calc',
        resourceType: 'transactional-id',
        patternType: 'prefixed',
        resourceName: group,
        operation: 'write',
      },
    ]);
    for (const shard of [`${group}-shard-0`, `${group}-shards`]) expect(shard.startsWith(group)).toBe(true);
  });

  it('grants only the roles given a principal, and nothing twice', () => {
    const gatewayOnly = aclPlan({ ...OPTIONS, principals: { gateway: 'gw' } });
    expect(new Set(gatewayOnly.map((g) => g.principal))).toEqual(new Set(['User:gw']));
    expect(new Set(plan.map((g) => JSON.stringify(g))).size).toBe(plan.length);
    expect(aclPlan({ ...OPTIONS, principals: {} })).toEqual([]);
  });

  it('refuses a principal with spaces or a wildcard, and a bad id or prefix, carrying the value', () => {
    expect(() => aclPrincipal('User:*')).toThrow(AclPlanError);
    expect(() => aclPrincipal('a b')).toThrow(/not a principal.*"a b"/);
    expect(aclPrincipal('Group:desk')).toBe('Group:desk');
    expect(() => aclPlan({ ...OPTIONS, calculatorId: 'x*' })).toThrow(/not a service id.*"x\*"/);
    expect(() => aclPlan({ ...OPTIONS, topicPrefix: 'a b.' })).toThrow(/not a topic prefix/);
  });

  it('prints a grant as one line', () => {
    expect(
      formatAclGrant({
        principal: 'User:gw',
        resourceType: 'group',
        patternType: 'prefixed',
        resourceName: 'indexflow-gateway-',
        operation: 'delete',
      }),
    ).toBe('User:gw ALLOW DELETE on group indexflow-gateway- (prefixed)');
  });
});
