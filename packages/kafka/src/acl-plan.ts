// Which Kafka principal may do what: one principal per service, each allowed only the topics,
// consumer groups and transactional ids that service uses. A broker whose authorizer denies
// whatever no ACL allows then refuses, above all, a write to the level topics by anyone but the
// calculator: the gateway serves whatever those topics commit.
import {
  ACTIONS_IMPORT_CLIENT_ID,
  calculatorGroupId,
  corporateActionsGroupId,
  corporateActionsReaderClientId,
  eodHistoryGroupId,
  gatewayClientId,
  readerGroupPrefix,
  recomputeClientIdPrefix,
  SUBSCRIBE_CLIENT_ID,
} from './client-group-ids.js';
import { KafkaAdapterError } from './kafka-errors.js';
import { topicNames } from './topic-names.js';
import type { TopicKey } from './topics.js';

export type AclResourceType = 'topic' | 'group' | 'transactional-id';
export type AclPatternType = 'literal' | 'prefixed';
/** Read, Write and Delete imply Describe on the same resource (Kafka's rule). */
export type AclOperation = 'read' | 'write' | 'describe' | 'delete';

/** One ALLOW binding, from any host. */
export interface AclGrant {
  readonly principal: string;
  readonly resourceType: AclResourceType;
  readonly patternType: AclPatternType;
  readonly resourceName: string;
  readonly operation: AclOperation;
}

export const ACL_ROLES = ['calculator', 'corporate-actions', 'gateway', 'feed', 'operator'] as const;
export type AclRole = (typeof ACL_ROLES)[number];

export interface AclPlanOptions {
  readonly topicPrefix: string;
  /** The calculator's CALCULATOR_ID: its group and transactional ids start with it. */
  readonly calculatorId: string;
  /** The corporate-actions service's SERVICE_ID. */
  readonly corporateActionsId: string;
  /** The gateway's GATEWAY_ID: its readers' groups start with it. */
  readonly gatewayId: string;
  /** `User:<name>`, or a bare name (read as `User:<name>`), per role to grant; roles left out get nothing. */
  readonly principals: Partial<Readonly<Record<AclRole, string>>>;
}

/** A principal or id the plan cannot use; carries the offending value. */
export class AclPlanError extends KafkaAdapterError {
  constructor(
    readonly value: string,
    reason: string,
  ) {
    super(`${reason}: ${JSON.stringify(value.slice(0, 200))}`, { retriable: false });
  }
}

/** What a role reads and writes, and the names of its groups and transactional ids. */
interface RoleNeeds {
  readonly read: readonly TopicKey[];
  readonly write: readonly TopicKey[];
  /** It creates missing catalogue topics at start (ensureTopics), so it must see them all. */
  readonly describesCatalogue: boolean;
  /** Consumer groups it joins and commits in (Read). */
  readonly groups: readonly { readonly name: string; readonly pattern: AclPatternType }[];
  /** Client ids whose readers make a throw-away group per read (Read, and Delete to clean up). */
  readonly readers: readonly string[];
  readonly transactionalIdPrefixes: readonly string[];
}

/** What every catalogue topic's name starts with (after TOPIC_PREFIX). */
const CATALOGUE_PREFIX = 'indexflow.';

const INPUTS: readonly TopicKey[] = ['ticksAshare', 'ticksHk', 'fx', 'indexAdjustments'];
const NONE = {
  read: [],
  write: [],
  describesCatalogue: false,
  groups: [],
  readers: [],
  transactionalIdPrefixes: [],
};

const ROLE_NEEDS: Readonly<Record<AclRole, (options: AclPlanOptions) => RoleNeeds>> = {
  calculator: ({ topicPrefix, calculatorId }) => ({
    ...NONE,
    read: [...INPUTS, 'calculatorShards'],
    write: ['indexLevels', 'indexLevelsConflated', 'indexLevelsFast', 'indexCloses', 'deadLetter'],
    describesCatalogue: true,
    // Its shards' groups and the shard-assignment group start with the calculator's group.
    groups: [{ name: calculatorGroupId(topicPrefix, calculatorId), pattern: 'prefixed' }],
    transactionalIdPrefixes: [calculatorGroupId(topicPrefix, calculatorId)],
  }),
  'corporate-actions': ({ topicPrefix, corporateActionsId }) => ({
    read: ['corporateActions', 'fxRaw', 'indexAdjustments'],
    write: ['indexAdjustments', 'fx', 'deadLetter'],
    describesCatalogue: true,
    groups: [{ name: corporateActionsGroupId(topicPrefix, corporateActionsId), pattern: 'prefixed' }],
    readers: [corporateActionsReaderClientId(corporateActionsId)],
    transactionalIdPrefixes: [corporateActionsGroupId(topicPrefix, corporateActionsId)],
  }),
  gateway: ({ gatewayId }) => ({
    ...NONE,
    read: ['indexLevels', 'indexLevelsFast'],
    readers: [gatewayClientId(gatewayId)],
  }),
  feed: () => ({ ...NONE, write: ['ticksAshare', 'ticksHk', 'fxRaw', 'fx'], describesCatalogue: true }),
  operator: ({ topicPrefix }) => ({
    read: [...INPUTS, 'indexCloses', 'indexLevels', 'indexLevelsConflated'],
    write: ['corporateActions', 'indexLevelsRecompute'],
    describesCatalogue: true,
    groups: [
      { name: recomputeClientIdPrefix(topicPrefix), pattern: 'prefixed' },
      { name: eodHistoryGroupId(topicPrefix), pattern: 'literal' },
    ],
    readers: [SUBSCRIBE_CLIENT_ID, ACTIONS_IMPORT_CLIENT_ID],
    transactionalIdPrefixes: [recomputeClientIdPrefix(topicPrefix)],
  }),
};

/** `User:<name>` for a bare name; a principal with a type (`User:…`) as it is. */
export function aclPrincipal(name: string): string {
  const principal = name.includes(':') ? name : `User:${name}`;
  if (!/^[A-Za-z]+:[^\s:*][^\s]*$/.test(principal))
    throw new AclPlanError(name, 'not a principal (User:<name>, no spaces, no wildcard)');
  return principal;
}

/** Every ALLOW binding the given roles' principals need, in role order, without duplicates. */
export function aclPlan(options: AclPlanOptions): AclGrant[] {
  for (const id of [options.calculatorId, options.corporateActionsId, options.gatewayId])
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new AclPlanError(id, 'not a service id ([A-Za-z0-9._-]+)');
  if (!/^[A-Za-z0-9._-]*$/.test(options.topicPrefix))
    throw new AclPlanError(options.topicPrefix, 'not a topic prefix ([A-Za-z0-9._-]*)');
  const grants = new Map<string, AclGrant>();
  for (const role of ACL_ROLES) {
    const name = options.principals[role];
    if (name === undefined) continue;
    for (const grant of roleGrants(aclPrincipal(name), ROLE_NEEDS[role](options), options.topicPrefix))
      grants.set(JSON.stringify(grant), grant);
  }
  return [...grants.values()];
}

function roleGrants(principal: string, needs: RoleNeeds, topicPrefix: string): AclGrant[] {
  const topics = topicNames(topicPrefix);
  const grant = (
    resourceType: AclResourceType,
    patternType: AclPatternType,
    resourceName: string,
    operation: AclOperation,
  ): AclGrant => ({ principal, resourceType, patternType, resourceName, operation });
  return [
    // Describe only: it sees that the catalogue topics exist, so it does not try to create them.
    ...(needs.describesCatalogue
      ? [grant('topic', 'prefixed', `${topicPrefix}${CATALOGUE_PREFIX}`, 'describe')]
      : []),
    ...needs.read.map((key) => grant('topic', 'literal', topics[key], 'read')),
    ...needs.write.map((key) => grant('topic', 'literal', topics[key], 'write')),
    ...needs.groups.map((group) => grant('group', group.pattern, group.name, 'read')),
    ...needs.readers.flatMap((clientId) =>
      (['read', 'delete'] as const).map((operation) =>
        grant('group', 'prefixed', readerGroupPrefix(clientId), operation),
      ),
    ),
    ...needs.transactionalIdPrefixes.map((id) => grant('transactional-id', 'prefixed', id, 'write')),
  ];
}

/** One line per grant, as `kafka-acls.sh --list` shows them. */
export function formatAclGrant(grant: AclGrant): string {
  const pattern = grant.patternType === 'prefixed' ? ' (prefixed)' : '';
  return `${grant.principal} ALLOW ${grant.operation.toUpperCase()} on ${grant.resourceType} ${grant.resourceName}${pattern}`;
}
